#!/usr/bin/env bash
# The MPI executor beside mpi4py, in one run: the Swift library (mpi-selftest bench), mpsh-mpi and CPython +
# mpi4py (scripts/mpi/bench.py, the same program for both), each under `mpirun -n 4 --oversubscribe` (rank 0 the
# master, 3 workers), the runs interleaved round by round; medians of each figure. mpi4py is installed in
# .build/mpi4py-venv on first use (pip builds it against the system's Open MPI: libopenmpi-dev).
#   scripts/mpi/bench.sh [ROUNDS]     (default 3 rounds of 5 repeats each)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
venv=.build/mpi4py-venv
if ! "$venv/bin/python" -c "import mpi4py.futures" 2>/dev/null; then
  echo "== installing mpi4py in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet mpi4py
fi
echo "== building (release)"
swift build -c release --product mpi-selftest 2>&1 | grep -E "error|warning: " || true
swift build -c release --product mpsh-mpi 2>&1 | grep -E "error|warning: " || true
bin=$(swift build -c release --show-bin-path)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in $(seq "$rounds"); do
  echo "== round $round of $rounds"
  mpirun -n 4 --oversubscribe "$bin/mpi-selftest" bench 5 >> "$out/swift"
  mpirun -n 4 --oversubscribe "$venv/bin/python" -m mpi4py.futures scripts/mpi/bench.py 5 >> "$out/mpi4py"
  mpirun -n 4 --oversubscribe "$bin/mpsh-mpi" -m mpi4py.futures scripts/mpi/bench.py 5 >> "$out/mpsh"
done
python3 - "$out" "$("$venv/bin/python" -c 'import mpi4py; print(mpi4py.__version__)')" <<'PY'
import sys, statistics
out, version = sys.argv[1], sys.argv[2]
def load(name):
    figures = {}
    for line in open(f"{out}/{name}"):
        key, value, unit = line.split()
        figures.setdefault(key, []).append(float(value))
        figures[key + ".unit"] = unit
    return figures
swift, mpsh, py = load("swift"), load("mpsh"), load("mpi4py")
print(f"medians over the rounds (4 ranks: 1 master + 3 workers; mpi4py {version}, CPython {sys.version.split()[0]})")
print(f"{'figure':22} {'Swift library':>16} {'mpsh-mpi':>16} {'mpi4py':>16}   vs mpi4py: Swift, mpsh-mpi")
for key in ["tasks_chunksize_1", "tasks_chunksize_100", "round_trip", "map_1e6_ints"]:
    unit = py[key + ".unit"]
    s, m, p = (statistics.median(f[key]) for f in (swift, mpsh, py))
    # ratios as "times better": a rate over mpi4py's, mpi4py's time over ours
    better = (lambda x: x / p) if unit == "tasks/s" else (lambda x: p / x)
    cell = (lambda x: f"{x:>9.0f} {unit:>6}") if unit == "tasks/s" else (lambda x: f"{x:>9.1f} {unit:>6}")
    print(f"{key:22} {cell(s)} {cell(m)} {cell(p)}   {better(s):.1f}x, {better(m):.1f}x")
PY
