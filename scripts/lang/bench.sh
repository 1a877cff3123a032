#!/bin/bash
# The language's four loops, mpsh beside CPython. Each bench_*.mp times its own workload in-process
# (time.perf_counter, several repetitions, the median per repetition), so the same program text runs under both
# interpreters; this runner alternates mpsh and python3 round by round (the first of the pair alternates too) and
# prints, per workload, the median over rounds of that in-process median, the median whole-process wall time
# (start-up, imports and all repetitions included), and the ratio CPython/ours (> 1: mpsh is faster).
# Usage: swift build -c release --product mpsh && scripts/lang/bench.sh [rounds]     (default 5 rounds)
#        MPSH=path/to/mpsh PY=path/to/python3 BENCH_REPS=n scripts/lang/bench.sh      (BENCH_REPS: per program)
# For counts that a busy machine cannot move, see the perf/valgrind lines at the end of this file.
set -u
cd "$(dirname "$0")"
MPSH=${MPSH:-../../.build/release/mpsh}
# the real interpreter, not a pyenv shim (a shim adds ~50 ms of bash start-up to every run)
PY=${PY:-$(python3 -c "import sys; print(sys.executable)")}
ROUNDS=${1:-5}
BENCHES=(random fib strings dict)
[ -x "$MPSH" ] || { echo "bench.sh: no mpsh at $MPSH (build it: swift build -c release --product mpsh)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# run <label> <bench> <cmd...>: appends "<in-process median> <wall seconds>" to $tmp/<label>_<bench>
run() {
  local label=$1 b=$2; shift 2
  local t0=$EPOCHREALTIME out
  out=$("$@" "bench_$b.mp") || { echo "bench.sh: $label bench_$b.mp failed" >&2; exit 1; }
  local t1=$EPOCHREALTIME
  echo "$out" | grep '^result' > "$tmp/${label}_${b}.result"
  local med; med=$(echo "$out" | awk '/^median/ {print $2}')
  echo "$med $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.6f", b - a}')" >> "$tmp/${label}_${b}"
}

for ((r = 1; r <= ROUNDS; r++)); do
  for b in "${BENCHES[@]}"; do
    if ((r % 2)); then run mpsh "$b" "$MPSH"; run py "$b" "$PY"
    else run py "$b" "$PY"; run mpsh "$b" "$MPSH"; fi
  done
done

# median of column $2 of file $1
med() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "mpsh: $MPSH"
echo "python3: $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])'))"
echo "$ROUNDS rounds, alternating; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-8s | %12s %12s %8s | %10s %10s %8s | %s\n" bench "mpsh s/rep" "cpy s/rep" "cpy/mpsh" \
  "mpsh wall" "cpy wall" "cpy/mpsh" "same result"
for b in "${BENCHES[@]}"; do
  mm=$(med "$tmp/mpsh_$b" 1); pm=$(med "$tmp/py_$b" 1)
  mw=$(med "$tmp/mpsh_$b" 2); pw=$(med "$tmp/py_$b" 2)
  same=no; cmp -s "$tmp/mpsh_$b.result" "$tmp/py_$b.result" && same=yes
  printf "%-8s | %12.4f %12.4f %7.2fx | %10.3f %10.3f %7.2fx | %s\n" "$b" "$mm" "$pm" \
    "$(awk -v p="$pm" -v m="$mm" 'BEGIN{print p/m}')" "$mw" "$pw" "$(awk -v p="$pw" -v m="$mw" 'BEGIN{print p/m}')" "$same"
done

# Counting instead of timing (what the commits quote; a busy machine does not move these):
#   BENCH_REPS=1 perf stat -e instructions ../../.build/release/mpsh bench_fib.mp
#   BENCH_REPS=1 valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out ../../.build/release/mpsh bench_fib.mp
#   callgrind_annotate /tmp/cg.out | head -40
