#!/usr/bin/env python3
"""Checks that the library's threads never run PyLang's non-atomic reference counting.

PyLang is compiled with `-assume-single-threaded` (see Package.swift): its retains and releases are not atomic.
Functions the compiler generates on demand (outlined copies, generic specializations) are emitted under the same
name in every module that needs them and merged by the linker, which keeps one copy. If the copy kept for a
function that Multiprocessing or PoolBridge also uses were PyLang's, the pool's handler threads would run
non-atomic reference counting. This script finds every such shared function in the linked executable and fails if
any of them calls a `swift_nonatomic_*` runtime function.

As a control it also counts PyLang's own functions that do call them (the flag is on and the scan sees the calls):
fewer than 100 fails too.

Usage: check-atomic-rc.py <executable> <objects dir>
  e.g. scripts/link/check-atomic-rc.py .build/release/mpsh .build/release
       scripts/link/check-atomic-rc.py .build/debug/mpshPackageTests.xctest .build/debug
  (the objects dir holds PyLang.build/, Multiprocessing.build/, PoolBridge.build/)
"""
import os
import re
import shutil
import subprocess
import sys

SINGLE_THREADED = "PyLang"
# Modules whose code runs on threads other than the interpreter's: the pool's and the executor's handler threads,
# the MPI executor's thread (MultiprocessingMPI, and mpsh-mpi's runtime MPIShell, whose closures it runs), and the library's
# tests (which start threads of their own). Those not linked into the executable are skipped.
THREADED = ["Multiprocessing", "PoolBridge", "MultiprocessingMPI", "MPIShell", "MultiprocessingTests"]


def tool(name):
    """The toolchain's LLVM tool beside `swift`, else one on PATH."""
    swift = shutil.which("swift")
    if swift:
        candidate = os.path.join(os.path.dirname(os.path.realpath(swift)), name)
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if not found:
        sys.exit(f"check-atomic-rc: {name} not found (it ships with the Swift toolchain)")
    return found


def defined_symbols(paths, kinds):
    out = subprocess.run([tool("llvm-nm"), "--defined-only", "-P", *paths], capture_output=True, text=True, check=True)
    names = set()
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] in kinds:
            names.add(parts[0])
    return names


def objects(objects_dir, module):
    folder = os.path.join(objects_dir, module + ".build")
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".o"))


def linked(module_objects, executable_symbols):
    """Whether the executable holds the module: one of its global functions is there."""
    return bool(defined_symbols(module_objects, {"T"}) & executable_symbols)


def weak_functions(objects_dir, module):
    """Mangled names of the weak (mergeable) functions the module's objects define."""
    folder = os.path.join(objects_dir, module + ".build")
    objs = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".o"))
    if not objs:
        sys.exit(f"check-atomic-rc: no objects in {folder}")
    out = subprocess.run([tool("llvm-nm"), "--defined-only", "-P", *objs], capture_output=True, text=True, check=True)
    names = set()
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] == "W":
            names.add(parts[0])
    return names


NONATOMIC = re.compile(r"<swift_nonatomic_")
ATOMIC = re.compile(r"<swift_(retain|release|bridgeObjectRetain|bridgeObjectRelease)(_n)?>")


def calling(executable, symbols, pattern):
    """Of `symbols`, those whose code in the executable calls or jumps to a function that `pattern` matches."""
    if not symbols:
        return set()
    found = set()
    symbols = sorted(symbols)
    # a bounded command line per run
    for i in range(0, len(symbols), 400):
        chunk = symbols[i:i + 400]
        out = subprocess.run([tool("llvm-objdump"), "-d", "--no-show-raw-insn",
                              "--disassemble-symbols=" + ",".join(chunk), executable],
                             capture_output=True, text=True, check=True)
        current = None
        for line in out.stdout.splitlines():
            m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
            if m:
                current = m.group(1)
            elif current and pattern.search(line):
                found.add(current)
    return found


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    executable, objects_dir = sys.argv[1], sys.argv[2]
    mine = weak_functions(objects_dir, SINGLE_THREADED)
    in_executable = defined_symbols([executable], {"T", "t", "W"})
    threaded = [m for m in THREADED if objects(objects_dir, m) and linked(objects(objects_dir, m), in_executable)]
    shared = set()
    for module in threaded:
        shared |= mine & weak_functions(objects_dir, module)
    bad = calling(executable, shared, NONATOMIC)
    # the controls: the shared functions that reference-count do it atomically; PyLang's own merged functions
    # (most of which reference-count) do it non-atomically
    atomic = calling(executable, shared, ATOMIC)
    own = calling(executable, mine - shared, NONATOMIC)
    print(f"check-atomic-rc: {len(shared)} functions PyLang shares with {', '.join(threaded)}: {len(bad)} "
          f"non-atomic, {len(atomic)} atomic, the rest count no references; {len(own)} of PyLang's own non-atomic")
    if len(own) < 100:
        sys.exit("check-atomic-rc: too few non-atomic functions found: is PyLang compiled with "
                 "-assume-single-threaded, and does the scan see the calls?")
    if bad:
        demangle = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(sorted(bad)),
                                  capture_output=True, text=True).stdout
        sys.exit("check-atomic-rc: the library's threads would run non-atomic reference counting in:\n"
                 + demangle + "\nThe linker kept PyLang's copy of these functions (see Package.swift: PyLang's "
                 "objects must come after the library's on the link line).")


if __name__ == "__main__":
    main()
