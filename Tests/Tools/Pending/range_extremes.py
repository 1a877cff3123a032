# Issue 20, PENDING (not in the corpus run: the fix is in Interpreter.swift, which is not ours to edit).
# range indexing near the 64-bit limits: mpsh answers -2 for the first line and traps (SIGILL) on the second,
# because Interpreter.subscript's PyRange case computes `r.start + i * r.step` unchecked and normalises a
# negative index against `r.count`, which is Int.max for a range longer than Int.max.
# Fix: in the PyRange branch of subscript, use `r.exactCount` (OverflowError when nil only if the index is
# negative, as CPython computes with big ints), and compute `start + i * step` with multipliedReportingOverflow
# / addingReportingOverflow (the result always lies between start and stop, so only intermediate overflow
# needs the checked path: compute it as a BigInt when it overflows). Move this file to Corpus/ once fixed.
print(range(-2**63, 2**63-1)[-1])
print(range(-2**63, 2**63-1, 2**62)[-1])
print(range(-2**63, 2**63-1, 2**62)[3])
print(range(2**63-1, -2**63, -2**62)[-1])
