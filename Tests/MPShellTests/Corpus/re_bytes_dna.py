# the regex-dna shape (pyperformance's regex_dna): bytes patterns over a generated FASTA sequence
import re

ALU = (b'GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG'
       b'GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA')


def fasta(n):
    out = bytearray(b'>ONE Homo sapiens alu\n')
    seed = 42.0
    chars = b'acgtBDHKMNRSVWY'
    line = bytearray()
    for k in range(n):
        seed = (seed * 3877.0 + 29573.0) % 139968.0
        line.append(chars[int(seed / 139968.0 * len(chars))] if k % 3 else ALU[k % len(ALU)] | 32)
        if len(line) == 60:
            out += line + b'\n'
            line = bytearray()
    out += line + b'\n>TWO IUB\n' + ALU.lower() + b'\n'
    return bytes(out)


VARIANTS = (
    b'agggtaaa|tttaccct',
    b'[cgt]gggtaaa|tttaccc[acg]',
    b'a[act]ggtaaa|tttacc[agt]t',
    b'ag[act]gtaaa|tttac[agt]ct',
    b'agg[act]taaa|ttta[agt]cct',
)
SUBST = ((b'B', b'(c|g|t)'), (b'D', b'(a|g|t)'), (b'H', b'(a|c|t)'), (b'K', b'(g|t)'), (b'M', b'(a|c)'),
         (b'N', b'(a|c|g|t)'), (b'R', b'(a|g)'), (b'S', b'(c|g)'), (b'V', b'(a|c|g)'), (b'W', b'(a|t)'),
         (b'Y', b'(c|t)'))

seq = fasta(20000)
ilen = len(seq)
seq = re.sub(b'>.*\n|\n', b'', seq)
clen = len(seq)
print(ilen, clen, seq[:40])
print([len(re.findall(f, seq)) for f in VARIANTS])
for f, r in SUBST:
    seq = re.sub(f, r, seq)
print(len(seq), seq[:60])
counts = {}
for m in re.finditer(rb'\((\w)\|', seq[:3000]):
    counts[m.group(1)] = counts.get(m.group(1), 0) + 1
print(sorted(counts.items()))
print(re.compile(b'[acgt]+').findall(seq[:200])[:5], len(re.split(b'\\(', seq[:5000])))
