#!/bin/bash
# Side-by-side timings of the mpsh interpreter and CPython on the four benchmark programs (best of 5, user+sys).
# Usage: swift build -c release --scratch-path .build-shell --product mpsh && scripts/lang/bench.sh
cd "$(dirname "$0")"
MPSH=${MPSH:-../../.build-shell/release/mpsh}
# the real interpreter, not a pyenv shim (a shim adds ~50 ms of bash start-up to every run)
PY=${PY:-$(python3 -c "import sys; print(sys.executable)")}
best() {
  local b=999
  for i in 1 2 3 4 5; do
    /usr/bin/time -o /tmp/mpsh_bench_t -f "%U %S" "$@" >/dev/null 2>&1
    b=$(awk -v b=$b '{t=$1+$2; print (t<b)?t:b}' /tmp/mpsh_bench_t)
  done
  echo $b
}
printf "%-10s %8s %8s %8s\n" bench mpsh python3 speedup
for b in random fib strings dict; do
  m=$(best $MPSH bench_$b.mp); p=$(best $PY bench_$b.mp)
  printf "%-10s %8s %8s %8s\n" $b $m $p $(awk -v p=$p -v m=$m 'BEGIN{printf "%.2fx", p/m}')
done
