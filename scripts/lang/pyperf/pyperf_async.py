# pyperf.Runner.bench_async_func's timing loop, apart from pyperf.py so that a program that never awaits anything
# still imports pyperf under an interpreter without async def.
import asyncio
import time


def timed_async_loops(loops, func, args):
    async def main():
        t0 = time.perf_counter()
        for _ in range(loops):
            await func(*args)
        return time.perf_counter() - t0

    return asyncio.run(main())
