#!/usr/bin/env bash
# Issue 6's benchmark: the mpsh programs of scripts/bench/mpsh/ under mpsh and under CPython, alternating round by
# round in one run; prints each figure's median over the rounds, the speedup (CPython's time / mpsh's) and the target.
#
#   swift build -c release --product mpsh && scripts/bench/mpsh.sh
#   ROUNDS=5 BENCH_COUNTS=100000,1000000 scripts/bench/mpsh.sh     # more rounds; pipes/queues at 10^5 and 10^6
#   scripts/bench/mpsh.sh pool_map apply_async                     # only these programs
#
# MPSH defaults to the release build; PY to the real python3 (not a pyenv shim, which adds a bash start-up).
# Environment passed to the programs: BENCH_REPS (pool_map 5, process 3), BENCH_N (apply_async 2000), BENCH_COUNTS.
# Run it on a quiet machine; on a busy one say so beside the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
MPSH=${MPSH:-.build/release/mpsh}
PY=${PY:-$(python3 -c 'import sys; print(sys.executable)')}
ROUNDS=${ROUNDS:-3}
PROGRAMS=("$@")
[ ${#PROGRAMS[@]} -gt 0 ] || PROGRAMS=(pipe_queue process spawn apply_async pool_map socket_roundtrip)
[ -x "$MPSH" ] || { echo "mpsh.sh: $MPSH not found: swift build -c release --product mpsh" >&2; exit 2; }
unset PYTHONUNBUFFERED

raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
for ((r = 1; r <= ROUNDS; r++)); do
  for prog in "${PROGRAMS[@]}"; do
    file=scripts/bench/mpsh/$prog.mp
    [ -f "$file" ] || { echo "mpsh.sh: no program $file" >&2; exit 2; }
    # alternate which one goes first, so neither always runs on the other's leftovers
    if ((r % 2)); then order=(mpsh cpython); else order=(cpython mpsh); fi
    for who in "${order[@]}"; do
      if [ "$who" = mpsh ]; then cmd=("$MPSH" "$file"); else cmd=("$PY" "$file"); fi
      out=$(timeout 600 "${cmd[@]}") || { echo "mpsh.sh: $who $file failed" >&2; exit 1; }
      awk -v who="$who" 'NF == 2 && $2 + 0 == $2 { print who, $1, $2 }' <<<"$out" >>"$raw"
    done
  done
done

echo "mpsh beside CPython $("$PY" -c 'import platform; print(platform.python_version())'), $ROUNDS rounds alternating," \
     "median per figure; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
  function target(f) {
    if (f ~ /^(pipe|queue)_/ || f ~ /^process_/ || f ~ /^(spawn|forkserver)_/) return 5
    if (f ~ /^apply_async_get_median/) return 10
    if (f ~ /^pool_map/) return 3
    if (f ~ /^socket_/) return 1
    return 0
  }
  function show(s) {
    if (s < 1e-3) return sprintf("%.1f us", s * 1e6)
    if (s < 1) return sprintf("%.2f ms", s * 1e3)
    return sprintf("%.3f s", s)
  }
  function median(who, f,    n, i, j, t, a) {
    n = split(vals[who, f], a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return a[int((n + 1) / 2)]
  }
  { if (!(($2) in seen)) { seen[$2] = 1; order[++nf] = $2 }; vals[$1, $2] = vals[$1, $2] " " $3 }
  END {
    printf "%-26s %12s %12s %9s %8s\n", "figure", "mpsh", "CPython", "speedup", "target"
    for (k = 1; k <= nf; k++) {
      f = order[k]; m = median("mpsh", f); c = median("cpython", f); t = target(f)
      ratio = m > 0 ? c / m : 0
      printf "%-26s %12s %12s %8.2fx %8s%s\n", f, show(m), show(c), ratio, t ? "≥" t "x" : "-",
             t ? (ratio >= t ? "  met" : "  not met") : ""
    }
  }' "$raw"
