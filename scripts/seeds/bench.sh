#!/usr/bin/env bash
# The seeds' benchmark exercises, mpsh beside CPython in one run, as the markdown tables of
# scripts/seeds/README.md: pipes vs queues (tutorial2/09, 10) and the core investigation (week4/03).
#
#   scripts/seeds/bench.sh                 # the seeds' sizes (10^4..10^6 messages, 10^8 loops): minutes
#   SEEDS_SCALE=0.1 scripts/seeds/bench.sh # a tenth of them
#
# Run it on a quiet machine; MPSH defaults to the release build (swift build -c release --product mpsh).
set -euo pipefail
cd "$(dirname "$0")/../.."
MPSH=${MPSH:-.build/release/mpsh}
export SEEDS_SCALE=${SEEDS_SCALE:-1}
unset PYTHONUNBUFFERED

# "Sending N numbers to X() took T seconds" -> "N T"
times() { sed -nE 's/^Sending ([0-9]+) numbers to .* took ([0-9.e-]+) seconds$/\1 \2/p'; }

echo "Pipes vs queues (seconds to send N numbers to a reader process; SEEDS_SCALE=$SEEDS_SCALE)"
echo
echo "| N | Pipe, CPython | Pipe, mpsh | Queue, CPython | Queue, mpsh |"
echo "| ---: | ---: | ---: | ---: | ---: |"
paste -d' ' \
  <(python3 scripts/seeds/tutorial2/09-bench-pipe.mp | times) \
  <("$MPSH" scripts/seeds/tutorial2/09-bench-pipe.mp | times | cut -d' ' -f2) \
  <(python3 scripts/seeds/tutorial2/10-bench-queue.mp | times | cut -d' ' -f2) \
  <("$MPSH" scripts/seeds/tutorial2/10-bench-queue.mp | times | cut -d' ' -f2) |
  awk '{ printf "| %s | %.3f | %.3f | %.3f | %.3f |\n", $1, $2, $3, $4, $5 }'

# "--- P processes, L loops each" then "Process-N took T ms" lines -> "P mean-ms"
means() {
  awk '/^--- / { p = $2 } / took [0-9]+ ms$/ { sum[p] += $(NF-1); n[p]++ }
       END { for (k in sum) printf "%s %.0f\n", k, sum[k] / n[k] }' | sort -n
}
echo
echo "Core investigation (mean milliseconds per process for its loop of random.random(); $(nproc) cores)"
echo
echo "| processes | CPython | mpsh |"
echo "| ---: | ---: | ---: |"
join <(python3 scripts/seeds/week4/03-core-investigation.mp | means) \
     <("$MPSH" scripts/seeds/week4/03-core-investigation.mp | means) |
  awk '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
