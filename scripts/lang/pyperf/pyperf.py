# A stand-in for the pyperf module, just enough of it for pyperformance's benchmarks (run_benchmark.py), written in
# plain Python that mpsh runs too (no argparse, statistics or asyncio at import time). scripts/lang/pyperformance.sh
# puts it beside a benchmark's files, where `import pyperf` finds it through sys.path[0].
#
# Each bench_* call calibrates a loop count until one sample takes at least PYPERF_MIN_TIME seconds (default 0.1;
# the last calibration run is the warm-up), then takes PYPERF_SAMPLES samples (default 5; fewer once one benchmark
# has used PYPERF_BUDGET seconds, default 15; PYPERF_CLOCK: see below) and prints one line to standard output:
#     PYPERF-RESULT <name> <median seconds per loop> <loops> <samples>
# (per inner loop where the benchmark gives inner_loops, as pyperf reports it).
import os
import sys
import time

# PYPERF_CLOCK=cpu: the benchmarks and the stand-in time with the process's CPU time instead of the wall clock,
# steadier on a shared, loaded machine (other processes' work does not count): for A/B comparisons of two mpsh
# builds. Reports are wall-clock by default, as pyperf's.
perf_counter = time.process_time if os.environ.get("PYPERF_CLOCK") == "cpu" else time.perf_counter


def _env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return float(value)


MIN_TIME = _env_float("PYPERF_MIN_TIME", 0.1)
SAMPLES = int(_env_float("PYPERF_SAMPLES", 5))
BUDGET = _env_float("PYPERF_BUDGET", 15.0)


def python_implementation():
    return "cpython"


def python_has_jit():
    return False


class Namespace:
    def __init__(self, values):
        for key in values:
            setattr(self, key, values[key])

    def __repr__(self):
        return "Namespace(%r)" % (self.__dict__,)


class _Option:
    def __init__(self, names, kwargs):
        self.names = names
        self.positional = not names[0].startswith("-")
        dest = kwargs.get("dest")
        if dest is None:
            if self.positional:
                dest = names[0]
            else:
                dest = names[0]
                for name in names:
                    if name.startswith("--"):
                        dest = name
                        break
                dest = dest.lstrip("-").replace("-", "_")
        self.dest = dest
        self.action = kwargs.get("action", "store")
        self.convert = kwargs.get("type")
        self.nargs = kwargs.get("nargs")
        if "default" in kwargs:
            self.default = kwargs["default"]
        elif self.action == "store_true":
            self.default = False
        elif self.action == "store_false":
            self.default = True
        else:
            self.default = None

    def value(self, text):
        if self.convert is None:
            return text
        return self.convert(text)


class ArgParser:
    """Records add_argument calls; parse_args reads --name value, --name=value, flags and positionals."""

    def __init__(self):
        self.options = []

    def add_argument(self, *names, **kwargs):
        option = _Option(list(names), kwargs)
        self.options.append(option)
        return option

    def add_argument_group(self, *args, **kwargs):
        return self

    def add_mutually_exclusive_group(self, *args, **kwargs):
        return self

    def set_defaults(self, **kwargs):
        for option in self.options:
            if option.dest in kwargs:
                option.default = kwargs[option.dest]

    def parse_args(self, args=None):
        if args is None:
            args = sys.argv[1:]
        values = {}
        for option in self.options:
            values[option.dest] = option.default
        positionals = [option for option in self.options if option.positional]
        i = 0
        while i < len(args):
            arg = args[i]
            i += 1
            if arg.startswith("-") and len(arg) > 1:
                name = arg
                inline = None
                if "=" in arg:
                    name, inline = arg.split("=", 1)
                found = None
                for option in self.options:
                    if name in option.names:
                        found = option
                if found is None:
                    raise SystemExit("pyperf stand-in: unknown option " + name)
                if found.action == "store_true":
                    values[found.dest] = True
                elif found.action == "store_false":
                    values[found.dest] = False
                else:
                    if inline is None:
                        inline = args[i]
                        i += 1
                    values[found.dest] = found.value(inline)
            else:
                if not positionals:
                    raise SystemExit("pyperf stand-in: unexpected argument " + arg)
                option = positionals.pop(0)
                if option.nargs in ("*", "+"):
                    values[option.dest] = [option.value(arg)] + [option.value(a) for a in args[i:]]
                    i = len(args)
                else:
                    values[option.dest] = option.value(arg)
        return Namespace(values)


class Runner:
    def __init__(self, values=None, processes=None, loops=None, add_cmdline_args=None, **kwargs):
        self.metadata = {}
        self.argparser = ArgParser()
        self.args = None
        self.add_cmdline_args = add_cmdline_args

    def parse_args(self, args=None):
        if self.args is None:
            self.args = self.argparser.parse_args(args)
        return self.args

    def _measure(self, name, run, inner_loops):
        # run(loops) -> seconds for that many loops
        if self.args is None:
            self.parse_args()
        started = perf_counter()
        loops = 1
        while True:
            elapsed = run(loops)
            if elapsed >= MIN_TIME or loops >= 1 << 40:
                break
            if elapsed <= 0:
                loops = loops * 10
            else:
                want = int(loops * 2 * MIN_TIME / elapsed) + 1
                loops = max(loops * 2, min(want, loops * 100))
        samples = []
        while len(samples) < SAMPLES:
            samples.append(run(loops) / loops)
            if perf_counter() - started > BUDGET:
                break
        samples.sort()
        n = len(samples)
        if n % 2:
            median = samples[n // 2]
        else:
            median = (samples[n // 2 - 1] + samples[n // 2]) / 2
        if inner_loops:
            median = median / inner_loops
        print("PYPERF-RESULT %s %.9g %d %d" % (name, median, loops, n))
        sys.stdout.flush()
        return median

    def bench_time_func(self, name, time_func, *args, inner_loops=None, metadata=None):
        def run(loops):
            return time_func(loops, *args)

        return self._measure(name, run, inner_loops)

    def bench_func(self, name, func, *args, inner_loops=None, metadata=None):
        def run(loops):
            t0 = perf_counter()
            for _ in range(loops):
                func(*args)
            return perf_counter() - t0

        return self._measure(name, run, inner_loops)

    def bench_async_func(self, name, func, *args, inner_loops=None, metadata=None):
        # in a module of its own: mpsh's parser rejects async def, and this file must parse there
        from pyperf_async import timed_async_loops

        def run(loops):
            return timed_async_loops(loops, func, args)

        return self._measure(name, run, inner_loops)

    def bench_command(self, name, command):
        raise NotImplementedError("pyperf stand-in: bench_command (a separate process) is not measured")
