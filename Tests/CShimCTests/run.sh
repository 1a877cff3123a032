#!/usr/bin/env bash
# Builds CShim and its C tests with gcc -Wall -Wextra -Werror and runs them: once optimised, once under
# AddressSanitizer + UndefinedBehaviorSanitizer (and the ring's shared-handle threads under ThreadSanitizer).
# Usage: Tests/CShimCTests/run.sh [plain|sanitize|all] [filter]
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-all}
filter=${2:-}
out=.build-ctests
mkdir -p "$out"
flags=(-std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -ICShim/include -ICShim -ITests/CShimCTests -g)
sources=(CShim/*.c Tests/CShimCTests/cshim_test.c)
sync_sources=(CShim/*.c Tests/CShimCTests/sync_test.c)  # the synchronisation primitives, a program of their own
spawn_sources=(CShim/*.c Tests/CShimCTests/spawn_test.c)  # forkserver and spawn helpers, a program of their own
heap_sources=(CShim/*.c Tests/CShimCTests/shmheap_test.c)  # the Manager's shared heap, a program of its own
ring_sources=(CShim/*.c Tests/CShimCTests/ring_test.c)  # the ring's endpoints, liveness, zero copy, batches
if [[ $mode == plain || $mode == all ]]; then
  gcc "${flags[@]}" -O2 "${sources[@]}" -o "$out/cshim_test" -lpthread
  echo "== CShim C tests (gcc -O2)"
  "$out/cshim_test" $filter
  # Writers and readers publish with plain stores when membarrier is available; run the seq_cst fallback too.
  echo "== CShim C tests (gcc -O2, CSHIM_NO_MEMBARRIER=1: the seq_cst fallback protocol)"
  CSHIM_NO_MEMBARRIER=1 "$out/cshim_test" -q $filter
  gcc "${flags[@]}" -O2 "${sync_sources[@]}" -o "$out/sync_test" -lpthread
  echo "== CShim sync C tests (gcc -O2)"
  "$out/sync_test" $filter
  echo "== CShim sync C tests (gcc -O2, CSHIM_NO_MEMBARRIER=1)"
  CSHIM_NO_MEMBARRIER=1 "$out/sync_test" -q $filter
  gcc "${flags[@]}" -O2 "${spawn_sources[@]}" -o "$out/spawn_test" -lpthread
  echo "== CShim spawn C tests (gcc -O2)"
  "$out/spawn_test" $filter
  gcc "${flags[@]}" -O2 "${heap_sources[@]}" -o "$out/shmheap_test" -lpthread
  echo "== CShim shared-heap C tests (gcc -O2)"
  "$out/shmheap_test" $filter
  gcc "${flags[@]}" -O2 "${ring_sources[@]}" -o "$out/ring_test" -lpthread
  echo "== CShim ring C tests (gcc -O2)"
  "$out/ring_test" $filter
  echo "== CShim ring C tests (gcc -O2, CSHIM_NO_MEMBARRIER=1)"
  CSHIM_NO_MEMBARRIER=1 "$out/ring_test" -q $filter
fi
if [[ $mode == sanitize || $mode == all ]]; then
  gcc "${flags[@]}" -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    "${sources[@]}" -o "$out/cshim_test_asan" -lpthread
  echo "== CShim C tests (gcc -fsanitize=address,undefined)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$out/cshim_test_asan" -q $filter
  gcc "${flags[@]}" -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    "${sync_sources[@]}" -o "$out/sync_test_asan" -lpthread
  echo "== CShim sync C tests (gcc -fsanitize=address,undefined)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$out/sync_test_asan" -q $filter
  gcc "${flags[@]}" -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    "${spawn_sources[@]}" -o "$out/spawn_test_asan" -lpthread
  echo "== CShim spawn C tests (gcc -fsanitize=address,undefined)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$out/spawn_test_asan" -q $filter
  gcc "${flags[@]}" -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    "${heap_sources[@]}" -o "$out/shmheap_test_asan" -lpthread
  echo "== CShim shared-heap C tests (gcc -fsanitize=address,undefined)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$out/shmheap_test_asan" -q $filter
  gcc "${flags[@]}" -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    "${ring_sources[@]}" -o "$out/ring_test_asan" -lpthread
  echo "== CShim ring C tests (gcc -fsanitize=address,undefined)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$out/ring_test_asan" -q $filter
  # Threads sharing one MPMC handle, under ThreadSanitizer (the other ring tests fork, which TSan does not follow).
  # (-D...: TSan does not intercept pthread_mutex_clocklock; see ring_test.c's stand-in.)
  gcc "${flags[@]}" -O1 -fsanitize=thread -DRING_TEST_TSAN -Dpthread_mutex_clocklock=ring_test_clocklock \
    "${ring_sources[@]}" -o "$out/ring_test_tsan" -lpthread
  echo "== CShim ring C tests, threads on one handle (gcc -fsanitize=thread)"
  TSAN_OPTIONS=halt_on_error=1 "$out/ring_test_tsan" ring_mpmc_handle_shared_by_threads
fi
