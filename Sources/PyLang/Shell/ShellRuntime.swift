// The `_mpsh` runtime module: what quick commands translate to (QuickCommands.swift). Written in Python over the
// `multiprocessing` module with CPython's names, so commands and programs share one runtime; a few helpers that
// need the operating system (/proc CPU times, getrusage, help texts) are native.
import Foundation

extension Interpreter {
    /// Makes the quick-command runtime available to programs as the builtin name `_mpsh`.
    public func installShellRuntime() {
        if builtins["_mpsh"] != nil { return }
        let m = PyModule(name: "_mpsh")
        m.set("__name__", .str("_mpsh"))
        m.set("_cputime", .obj(PyBuiltin("_cputime") { i, a, _ in
            guard case .int(let pid)? = a.first else { throw i.typeError("_cputime(pid)") }
            return cpuSeconds(pid: pid).map { .float($0) } ?? .none
        }))
        m.set("_rusage", .obj(PyBuiltin("_rusage") { _, _, _ in
            var me = rusage(), kids = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &me)
            getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &kids)
            func secs(_ r: rusage) -> Double {
                Double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + Double(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6
            }
            return .tuple(PyTuple([.float(secs(me)), .float(secs(kids))]))
        }))
        // a command's usage line, from QuickCommands.table
        m.set("_usage", .obj(PyBuiltin("_usage") { i, a, _ in
            guard case .str(let name)? = a.first else { throw i.typeError("_usage(name)") }
            return .str(QuickCommands.usageOf(name.s))
        }))
        m.set("_help_text", .obj(PyBuiltin("_help_text") { i, a, _ in
            var topic = ""
            if case .str(let s)? = a.first { topic = s.s }
            return .str(ShellHelp.text(topic))
        }))
        // a progress bar on the terminal's stderr (`_progress(done, total)`, `_progress(-1, 0)` clears it);
        // only when both stdout and stderr are terminals, so batch output never carries it
        m.set("_isatty", .obj(PyBuiltin("_isatty") { _, _, _ in .bool(isatty(1) != 0 && isatty(2) != 0) }))
        m.set("_progress", .obj(PyBuiltin("_progress") { i, a, _ in
            guard a.count == 2, case .int(let done) = a[0], case .int(let total) = a[1] else {
                throw i.typeError("_progress(done, total)")
            }
            i.flushAll()
            var line = "\r\u{1b}[K"
            if done >= 0 && total > 0 {
                let width = 30, filled = width * min(done, total) / total
                line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    + "] \(done)/\(total)"
            }
            i.writeStderr(line)
            return .none
        }))
        modules["_mpsh"] = .obj(m)
        builtins["_mpsh"] = .obj(m)
        do {
            let prog = try compile(ShellRuntime.prelude, file: "<mpsh>", module: m)
            try run(prog, in: m)
        } catch {
            writeStderr("mpsh: internal error: the quick-command runtime failed to load: \(error)\n")
        }
    }

    /// True when `name` has been imported (the shell joins children at exit only if multiprocessing was used).
    public func isImported(_ name: String) -> Bool { modules[name] != nil }

    /// Terminates the daemonic children and joins all children at exit, as CPython's multiprocessing does,
    /// between the finalizers of exit priority 0 or more (a started manager is shut down: its server would
    /// otherwise be waited for for ever) and the others. Mirrors `multiprocessing.util._exit_function`.
    /// After a KeyboardInterrupt (`interrupted`), or when a Ctrl-C interrupts the wait, the children are
    /// terminated instead: an interrupted program must end, not hang on a child that waits for it.
    public func joinChildrenAtExit(interrupted: Bool = false) {
        runExitFinalizers(0)
        defer { runExitFinalizers(nil) }
        guard isImported("multiprocessing"), case .obj(let m as PyModule)? = builtins["_mpsh"],
              let f = m.get("at_exit") else { return }
        var stop = interrupted
        while true {
            do {
                _ = try call(f, [.bool(stop)])
            } catch let e as PyException where !stop && e.exc.cls.isSubclass(of: excClass("KeyboardInterrupt")) {
                stop = true
                continue
            } catch let e as PyException {
                writeStderr(formatTraceback(e.exc))
            } catch {
                writeStderr("mpsh: \(error)\n")
            }
            break
        }
        flushAll()
    }
}

/// User plus system CPU seconds of a live process, from /proc/PID/stat; nil once it has gone.
func cpuSeconds(pid: Int) -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    // fields after "pid (comm)": state is field 3, utime 14, stime 15
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let u = Double(fields[11]), let s = Double(fields[12]) else { return nil }
    return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

enum ShellRuntime {
    static let prelude = #"""
import time as _time

_procs = []

class CommandError(Exception):
    pass

def worker(*args):
    import multiprocessing
    print(multiprocessing.current_process(), 'says', *args)

def square(x):
    return x * x

def cube(x):
    return x * x * x

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def sleep(seconds):
    _time.sleep(seconds)
    return seconds

def spin(n):
    i = 0
    while i < n:
        i += 1
    return n

_builtin_functions = {'worker': worker, 'square': square, 'cube': cube, 'fib': fib, 'sleep': sleep, 'spin': spin}

def help(topic=''):
    text = _help_text(topic)
    if text.startswith('help: no topic'):
        raise CommandError(text.rstrip('\n'))
    print(text, end='')

def clock():
    return _time.perf_counter()

def fn(name, scope):
    f = scope.get(name)
    if f is not None:
        if not callable(f):
            raise CommandError(f"'{name}' is a {type(f).__name__}, not a function")
        return f
    f = _builtin_functions.get(name)
    if f is None:
        raise CommandError(f"unknown function '{name}': define it with def, or use one of "
                           + ', '.join(sorted(_builtin_functions)))
    return f

def bare(name, scope):
    if name in scope:
        return scope[name]
    if name == 'ps':
        return ps()
    if name == 'join':
        return join()
    if name == 'help':
        return help('')
    if name == 'kill' or name == 'terminate':
        return stop('all', name)
    raise CommandError(f"{name}: missing arguments\nusage: {_usage(name)}")

def _settle(procs):
    # let quick children finish so their output comes before the next prompt (bounded: long ones run on)
    deadline = _time.perf_counter() + 0.3
    for p in procs:
        left = deadline - _time.perf_counter()
        if left <= 0:
            break
        p.join(left)

# a command's result, which the shell makes `_` (as an expression's value is at the prompt)
result = None

def _keep(value):
    global result
    result = value

def spawn(n, target, args):
    import multiprocessing
    if not isinstance(n, int) or n < 1:
        raise CommandError(f"spawn: the process count must be a positive integer, not {n!r}")
    started = []
    for _ in range(n):
        p = multiprocessing.Process(target=target, args=args)
        p.start()
        _procs.append(p)
        started.append(p)
    _keep(started)
    _settle(started)

def _all():
    import multiprocessing
    procs = list(_procs)
    for p in multiprocessing.active_children():
        if p not in procs:
            procs.append(p)
    return procs

def join():
    procs = _all()
    for p in procs:
        p.join()
    n = len(procs)
    print(f"joined {n} process{'' if n == 1 else 'es'}")
    _procs.clear()

_signals = {1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM'}

def _state(p):
    if p.is_alive():
        return 'running'
    code = p.exitcode
    if code is None:
        return 'initial'
    if code < 0:
        return 'killed by ' + _signals.get(-code, f'signal {-code}')
    return 'exited'

def ps():
    procs = _all()
    if not procs:
        print('no child processes (start some with spawn, pool or multiprocessing.Process)')
        return
    print(f"{'NAME':<14} {'PID':>7}  {'STATE':<18} {'EXIT':>4}  {'CPU':>8}")
    for p in procs:
        cpu = _cputime(p.pid) if p.is_alive() else None
        code = '-' if p.exitcode is None else str(p.exitcode)
        cpu_text = '-' if cpu is None else f'{cpu:.2f} s'
        print(f"{p.name:<14} {p.pid:>7}  {_state(p):<18} {code:>4}  {cpu_text:>8}")

def stop(target, how):
    procs = [p for p in _all() if p.is_alive()]
    if target != 'all':
        procs = [p for p in procs if p.name == target or str(p.pid) == target]
        if not procs:
            raise CommandError(f"{how}: no running child named or numbered '{target}' (see ps)")
    for p in procs:
        if how == 'kill':
            p.kill()
        else:
            p.terminate()
    for p in procs:
        p.join()
    n = len(procs)
    print(f"{how} sent to {n} process{'' if n == 1 else 'es'}")

def pool(n, method, f, items):
    import multiprocessing
    if n is not None and (not isinstance(n, int) or n < 1):
        raise CommandError(f"pool: the worker count must be a positive integer, not {n!r}")
    with multiprocessing.Pool(n) as p:
        if method == 'map':
            results = _map_with_progress(p, f, items)
            print(results)
        else:
            results = []
            for r in (p.imap(f, items) if method == 'imap' else p.imap_unordered(f, items)):
                print(r)
                results.append(r)
    _keep(results)

def _map_with_progress(p, f, items):
    # Pool.map, with a progress bar on a terminal once it has taken more than half a second
    if not _isatty():
        return p.map(f, items)
    items = list(items)
    total = len(items)
    chunk = max(1, total // 100)
    results = []
    start = _time.perf_counter()
    shown = False
    try:
        for r in p.imap(f, items, chunk):
            results.append(r)
            if len(results) % chunk == 0 and (shown or _time.perf_counter() - start > 0.5):
                shown = True
                _progress(len(results), total)
    finally:
        if shown:
            _progress(-1, 0)
    return results

def _reader_pipe(conn):
    while True:
        msg = conn.recv()
        if msg == 'DONE':
            break
    conn.close()

def _reader_queue(q):
    while True:
        msg = q.get()
        if msg == 'DONE':
            break

def bench(kind, counts):
    import multiprocessing
    for count in counts:
        if not isinstance(count, int) or count < 0 or count > 10**12:
            raise CommandError(f"bench: a count must be an integer from 0 to 10**12, not {count!r}")
    for count in counts:
        if kind == 'pipe':
            p_w, p_r = multiprocessing.Pipe()
            reader_p = multiprocessing.Process(target=_reader_pipe, args=(p_r,))
            reader_p.start()
            s = _time.time()
            try:
                for i in range(count):
                    p_w.send(i)
            finally:
                # the reader ends even when the loop does not (Ctrl-C): it must never wait for ever
                p_w.send('DONE')
                reader_p.join()
            e = _time.time()
            p_w.close()
            p_r.close()
            print("Sending {0} numbers to Pipe() took {1} seconds".format(count, e - s))
        else:
            q = multiprocessing.Queue()
            reader_p = multiprocessing.Process(target=_reader_queue, args=(q,))
            reader_p.start()
            s = _time.time()
            try:
                for i in range(count):
                    q.put(i)
            finally:
                q.put('DONE')
                reader_p.join()
            e = _time.time()
            print("Sending {0} numbers to Queue() took {1} seconds".format(count, e - s))

def _work_that_cpu(loops, q):
    import random
    start = _time.perf_counter()
    for w in range(loops):
        random.random()
    q.put(_time.perf_counter() - start)

def _calibrate(target):
    import random
    loops = 20000
    while True:
        start = _time.perf_counter()
        for w in range(loops):
            random.random()
        took = _time.perf_counter() - start
        if took > 0.1:
            return max(1, int(loops * target / took))
        loops *= 4

def cores(counts, loops=None):
    import multiprocessing
    for n in counts:
        if not isinstance(n, int) or n < 1:
            raise CommandError(f"cores: a process count must be a positive integer, not {n!r}")
    if loops is None:
        loops = _calibrate(0.25)
    print(f"each process runs {loops} loops of random.random(); cpu_count() = {multiprocessing.cpu_count()}")
    rows = []
    for n in counts:
        q = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=_work_that_cpu, args=(loops, q)) for _ in range(n)]
        for p in procs:
            p.start()
        times = [q.get() for _ in procs]
        for p in procs:
            p.join()
        rows.append((n, sum(times) / n))
    top = max(t for n, t in rows)
    for n, t in rows:
        bar = '#' * max(1, round(40 * t / top)) if top > 0 else '#'
        label = f"{n} process{'' if n == 1 else 'es'}"
        print(f"{label:>13} {bar:<40} {t:.3f} s per process")
    print("the time per process stays flat while there are enough cores, then grows with the count")

def timed(f):
    t0 = _time.perf_counter()
    c0 = _rusage()
    try:
        return f()
    finally:
        wall = _time.perf_counter() - t0
        c1 = _rusage()
        print(f"Wall time: {wall:.3f} s   CPU: {c1[0] - c0[0]:.3f} s in mpsh, {c1[1] - c0[1]:.3f} s in finished children")

def elapsed(t0):
    print(f"Wall time: {_time.perf_counter() - t0:.3f} s")

def waiting_for():
    # what Ctrl-D at the prompt waits for (the non-daemonic children), and how to stop waiting
    import multiprocessing
    live = [p for p in multiprocessing.active_children() if not p.daemon]
    n = len(live)
    if n == 0:
        return ''
    shown = ', '.join(f"{p.name} (pid {p.pid})" for p in live[:5]) + (', ...' if n > 5 else '')
    return (f"mpsh: waiting for {n} child process{'' if n == 1 else 'es'} to finish: {shown}; "
            f"Ctrl-C stops {'it' if n == 1 else 'them'}")

def at_exit(interrupted=False):
    # as CPython's multiprocessing.util._exit_function: daemonic children are terminated, then all are joined;
    # after a Ctrl-C (the program or the wait itself interrupted) every child is terminated, never waited for
    import multiprocessing
    children = multiprocessing.active_children()
    for p in children:
        if p.daemon or interrupted:
            p.terminate()
    for p in children:
        p.join()
"""#
}
