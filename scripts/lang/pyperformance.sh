#!/bin/bash
# pyperformance's stdlib-only benchmarks, mpsh beside CPython (issue 15's measurement).
#
# Fetches pyperformance 1.14.0 with pip into a cache outside the repository (its code is never copied into the
# repository), copies each benchmark's folder with the stand-in pyperf (scripts/lang/pyperf/) into a temporary
# folder, and runs it under python3 and under mpsh, alternating, each run under `timeout`. The stand-in calibrates
# loops to at least 0.1 s a sample, takes 1 warm-up and 5 samples, and prints the median seconds per loop; a benchmark that makes several measurements
# (deepcopy, logging, ...) counts as their sum. Prints a table (benchmark | CPython s | mpsh s | CPython/mpsh |
# status: > 1 means mpsh is faster), the geometric mean over those that ran, how many ran, the geometric mean over
# the 14 that ran before (the issue's target set), and each failure's error line with the place it was raised.
# Benchmarks that need third-party packages, a subprocess, the network or a C library are listed as skipped.
#
# Usage: scripts/lang/pyperformance.sh [--json] [benchmark ...]      (default: all; e.g. richards float)
#   --json          also one JSON object per benchmark, after the table
#   MPSH=path       mpsh to measure (default: .build/release/mpsh of this repository)
#   PY=path         the CPython (default: python3's sys.executable, not a pyenv shim)
#   ROUNDS=n        rounds, alternating which interpreter goes first (default 1); the median over rounds is shown
#   TIMEOUT=s       seconds one run may take (default 120)
#   PYPERF_SAMPLES, PYPERF_MIN_TIME, PYPERF_BUDGET   the stand-in's samples, seconds a sample, seconds a measurement
#   PYPERFORMANCE_CACHE=dir    where the download is kept (default ${XDG_CACHE_HOME:-~/.cache}/mpsh-pyperformance)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
MPSH=${MPSH:-$root/.build/release/mpsh}
PY=${PY:-$(python3 -c 'import sys; print(sys.executable)')}
ROUNDS=${ROUNDS:-1}
TIMEOUT=${TIMEOUT:-120}
VERSION=1.14.0
CACHE=${PYPERFORMANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mpsh-pyperformance}/$VERSION
json=0
names=()
for a in "$@"; do
  case $a in
    --json) json=1 ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "pyperformance.sh: unknown option $a" >&2; exit 2 ;;
    *) names+=("$a") ;;
  esac
done
[ -x "$MPSH" ] || { echo "pyperformance.sh: no mpsh at $MPSH (swift build -c release --product mpsh, or MPSH=...)" >&2; exit 2; }
MPSH=$(cd "$(dirname "$MPSH")" && pwd)/$(basename "$MPSH")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# measure a copy, so that a rebuild of $MPSH during the run does not mix two binaries in one table
cp -p "$MPSH" "$tmp/mpsh"

# -- fetch (once; later runs reuse the cache)
BENCHDIR=$CACHE/pyperformance/data-files/benchmarks
if [ ! -d "$BENCHDIR" ]; then
  dl=$(mktemp -d)
  "$PY" -m pip download --quiet --no-deps "pyperformance==$VERSION" -d "$dl" >&2 ||
    { echo "pyperformance.sh: pip download failed" >&2; rm -rf "$dl"; exit 2; }
  mkdir -p "$CACHE.tmp"
  for f in "$dl"/*; do
    case $f in
      *.whl) "$PY" -m zipfile -e "$f" "$CACHE.tmp" ;;
      *.tar.gz) tar -xzf "$f" -C "$CACHE.tmp" --strip-components=1 ;;
    esac
  done
  rm -rf "$dl"
  [ -d "$CACHE.tmp/pyperformance/data-files/benchmarks" ] ||
    { echo "pyperformance.sh: no benchmarks in the download" >&2; exit 2; }
  rm -rf "$CACHE" && mv "$CACHE.tmp" "$CACHE"
fi

# -- which benchmarks: name, folder, extra arguments (pyproject's or a variant's extra_opts)
TARGET=(chaos deltablue fannkuch float go json_dumps nbody nqueens pidigits regex_effbot richards richards_super
  spectral_norm unpack_sequence)
declare -A skip=(
  [2to3]="a subprocess (bench_command on lib2to3)"
  [python_startup]="a subprocess (bench_command: interpreter start-up)"
  [hg_startup]="a subprocess (bench_command) and mercurial"
  [asyncio_tcp]="the network (TCP sockets on localhost)"
  [sqlite_synth]="a C library (sqlite3)"
  [pickle]="C _pickle (the pure-Python pickle_pure_python and unpickle_pure_python run instead)"
)
# Benchmarks that run under mpsh without doing the work CPython does: their times are shown, never averaged.
declare -A notcomparable=(
  [typing_runtime_protocols]="mpsh's typing.Protocol does no structural isinstance check"
)
declare -A dir=() extra=()
all=()
for d in "$BENCHDIR"/bm_*/; do
  d=${d%/}; b=${d##*/bm_}
  deps=$(tr -d '\n ' < "$d/pyproject.toml" | grep -o 'dependencies=\[[^]]*\]')
  if [ "$deps" != 'dependencies=["pyperf"]' ] || [ -e "$d/requirements.txt" ]; then
    req=$( { echo "$deps" | grep -o '"[^"]*"' | tr -d '"'; cat "$d/requirements.txt" 2>/dev/null; } |
           sed 's/[=<>;[ ].*//' | grep -v '^pyperf$' | grep . | sort -fu | paste -sd, -)
    skip[$b]="third-party packages: ${req:-?}"
  fi
  all+=("$b"); dir[$b]=$d
  extra[$b]=$(grep '^extra_opts' "$d/pyproject.toml" | grep -o '"[^"]*"' | tr -d '"' | paste -sd' ' -)
done
for v in pickle_pure_python unpickle_pure_python; do
  all+=("$v"); dir[$v]=$BENCHDIR/bm_pickle
  extra[$v]=$(grep '^extra_opts' "$BENCHDIR/bm_pickle/bm_$v.toml" | grep -o '"[^"]*"' | tr -d '"' | paste -sd' ' -)
done
mapfile -t all < <(printf '%s\n' "${all[@]}" | sort)
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")
for b in "${names[@]}"; do
  [ -n "${dir[$b]:-}" ] || { echo "pyperformance.sh: no benchmark $b (have: ${all[*]})" >&2; exit 2; }
done

# -- running
# run <label> <bench> <interpreter>: appends the summed median to $tmp/<label>_<bench>.times, or writes the
# reason it failed to $tmp/<label>_<bench>.fail (and where, to .where)
run() {
  local label=$1 b=$2 exe=$3 w rc
  w=$tmp/w_${b}_$label
  rm -rf "$w"; cp -r "${dir[$b]}" "$w"; cp "$here"/pyperf/*.py "$w"/
  local -a args; read -r -a args <<< "${extra[$b]}"
  [ "$label" = py ] || args=(-- "${args[@]}")   # mpsh: sys.argv[1:] follows --
  (cd "$w" && timeout "$TIMEOUT" "$exe" "$w/run_benchmark.py" "${args[@]}" \
    > "$tmp/${label}_$b.out" 2> "$tmp/${label}_$b.err" < /dev/null)
  rc=$?
  rm -rf "$w"
  local out=$tmp/${label}_$b.out err=$tmp/${label}_$b.err
  if [ $rc -eq 124 ]; then
    echo "timeout after ${TIMEOUT} s" > "$tmp/${label}_$b.fail"
  elif [ $rc -ne 0 ] || ! grep -q '^PYPERF-RESULT ' "$out"; then
    local line
    line=$(grep -E '^[A-Za-z_.]*(Error|Exception|Exit|Interrupt|Warning)\b|^mpsh:' "$err" | tail -1)
    [ -n "$line" ] || line=$(grep -v '^[[:space:]]*$' "$err" | tail -1)
    echo "${line:-exit $rc, no result}" | sed "s|$w/||" | cut -c1-200 > "$tmp/${label}_$b.fail"
    grep -E '^  File ' "$err" | tail -1 | sed "s/^ *//; s|$w/||" > "$tmp/${label}_$b.where"
  else
    awk '/^PYPERF-RESULT /{s += $3} END{printf "%.9g\n", s}' "$out" >> "$tmp/${label}_$b.times"
    grep -v '^PYPERF-RESULT ' "$out" > "$tmp/${label}_$b.print"
  fi
}

for ((r = 1; r <= ROUNDS; r++)); do
  for b in "${names[@]}"; do
    [ -z "${skip[$b]:-}" ] || continue
    echo "round $r/$ROUNDS: $b" >&2
    if ((r % 2)); then run py "$b" "$PY"; run mpsh "$b" "$tmp/mpsh"
    else run mpsh "$b" "$tmp/mpsh"; run py "$b" "$PY"; fi
  done
done

# -- report
med() { sort -g "$1" | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "mpsh: $MPSH ($(date -u -r "$tmp/mpsh" '+built %Y-%m-%d %H:%M:%S UTC'))"
echo "python3: $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])'))"
echo "pyperformance $VERSION; $ROUNDS round(s); timeout ${TIMEOUT} s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s | %11s | %11s | %12s | %s\n' benchmark "CPython s" "mpsh s" "CPython/mpsh" status
ran=(); failed=(); skipped=(); incomparable=(); jsonl=()
for b in "${names[@]}"; do
  py=- mp=- ratio=- status=
  if [ -n "${skip[$b]:-}" ]; then
    status="skipped: needs ${skip[$b]}"; skipped+=("$b")
  else
    [ -s "$tmp/py_$b.times" ] && py=$(printf '%.4g' "$(med "$tmp/py_$b.times")")
    [ -s "$tmp/mpsh_$b.times" ] && mp=$(printf '%.4g' "$(med "$tmp/mpsh_$b.times")")
    if [ -e "$tmp/mpsh_$b.fail" ] && [ -e "$tmp/py_$b.fail" ]; then
      status="python3: $(cat "$tmp/py_$b.fail"); mpsh: $(cat "$tmp/mpsh_$b.fail")"; failed+=("$b")
    elif [ -e "$tmp/mpsh_$b.fail" ]; then
      status="mpsh: $(cat "$tmp/mpsh_$b.fail")"; failed+=("$b")
    elif [ -e "$tmp/py_$b.fail" ]; then
      status="python3: $(cat "$tmp/py_$b.fail")"; failed+=("$b")
    else
      ratio=$(awk -v p="$py" -v m="$mp" 'BEGIN{printf "%.3f", p/m}')
      if [ -n "${notcomparable[$b]:-}" ]; then
        status="runs, not comparable: ${notcomparable[$b]}"; incomparable+=("$b")
      else
        status=ok
        cmp -s "$tmp/py_$b.print" "$tmp/mpsh_$b.print" || status="ok (printed output differs from python3's)"
        ran+=("$b"); echo "$b $ratio" >> "$tmp/ratios"
      fi
    fi
  fi
  printf '%-26s | %11s | %11s | %12s | %s\n' "$b" "$py" "$mp" "$ratio" "$status"
  esc=${status//\\/\\\\}; esc=${esc//\"/\\\"}
  jsonl+=("{\"benchmark\": \"$b\", \"cpython_s\": $( [ "$py" = - ] && echo null || echo "$py"), \"mpsh_s\": $( [ "$mp" = - ] && echo null || echo "$mp"), \"cpython_over_mpsh\": $( [ "$ratio" = - ] && echo null || echo "$ratio"), \"status\": \"$esc\"}")
done
geo() { awk '{s += log($2); n++} END{if (n) printf "%.3f over %d", exp(s / n), n; else print "- (none ran)"}'; }
echo
considered=$(( ${#names[@]} - ${#skipped[@]} ))
echo "ran: ${#ran[@]} of $considered (${#skipped[@]} more skipped$( [ ${#incomparable[@]} -gt 0 ] && echo "; ${#incomparable[@]} more run but are not comparable, not averaged: ${incomparable[*]}"))"
echo "geometric mean CPython/mpsh, all that ran: $( [ -e "$tmp/ratios" ] && geo < "$tmp/ratios" || echo -)"
pat=$(printf '^%s |' "${TARGET[@]}"); pat=${pat%|}
echo "geometric mean CPython/mpsh, the 14-benchmark target set: $( [ -e "$tmp/ratios" ] && grep -E "$pat" "$tmp/ratios" | geo || echo -)"
if [ ${#failed[@]} -gt 0 ]; then
  echo "do not run:"
  for b in "${failed[@]}"; do
    who=mpsh; [ -e "$tmp/mpsh_$b.fail" ] || who=python3
    where=$(cat "$tmp/${who/python3/py}_$b.where" 2>/dev/null)
    printf '  %-24s %s: %s%s\n' "$b" "$who" "$(cat "$tmp/${who/python3/py}_$b.fail")" "${where:+  [$where]}"
  done
fi
[ $json -eq 0 ] || printf '%s\n' "${jsonl[@]}"
