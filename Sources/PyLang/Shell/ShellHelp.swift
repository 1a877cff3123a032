// `help [TOPIC]`: every quick command (from QuickCommands.table) and module, each with an example.
import Foundation

public enum ShellHelp {
    /// The topics, in the order `help` lists them: (name, one-line summary, text with an example). The
    /// commands' topics come from `QuickCommands.table`; the others follow.
    public static let topics: [(name: String, summary: String, text: String)] =
        QuickCommands.table.map { ($0.name, $0.summary, $0.usage + "\n" + $0.help) } + otherTopics

    static let otherTopics: [(name: String, summary: String, text: String)] = [
        ("functions", "the built-in functions commands can name", """
        Built-in functions for commands (a def of the same name takes precedence):
          worker(*args)  prints current_process() 'says' args     spawn 4 worker "hi"
          square(x)      x * x                                   pool map square 0..9
          cube(x)        x * x * x                               pool map cube 1..5
          fib(n)         the n-th Fibonacci number, recursively  pool imap_unordered fib 20..25
          sleep(s)       time.sleep(s), returns s                spawn 2 sleep 1
          spin(n)        a busy loop of n steps, returns n       spawn 2 spin 10**7
        """),
        ("ranges", "a..b, a..<b and Python values in commands", """
        Ranges in commands: 0..9 is range(0, 10) (inclusive), 0..<10 is range(0, 10) too; the bounds are
        Python expressions (0..10**7, 1..n, written without blanks); any Python value works as well:
        [1, 2, 3], range(0, 100, 5), a variable. A command's result is _, as an expression's is.
          example:  pool map square 1..<4      ->  [1, 4, 9]
                    pool map square 0..2**3
                    sum(_)
        """),
        ("keys", "line editing, history, completion, Ctrl-C, Ctrl-D", """
        Editing keys are readline's (Emacs style). Up and Down recall history, kept in ~/.mpsh_history
        (or $MPSH_HISTORY). Tab completes keywords, commands, names and attributes after a dot.
        A block (def, for, if, ...) continues with '... ' until an empty line.
        Ctrl-C interrupts the running statement and returns to the prompt; Ctrl-D leaves after joining
        the non-daemon children (it says which it waits for; Ctrl-C then stops them).
          example:  multiprocessing.Po<Tab>   ->  multiprocessing.Pool
        """),
        ("multiprocessing", "processes, queues, pipes, locks, shared values, pools (CPython's names)", """
        import multiprocessing — CPython's module: Process (target= or a subclass with run), current_process,
        parent_process, active_children, cpu_count, Queue, SimpleQueue, JoinableQueue, Pipe, connection.wait,
        Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event, Barrier, Value, Array, Manager, Pool,
        get_context, set_start_method, shared_memory.
          example:  import multiprocessing
                    def f(q): q.put(42)
                    q = multiprocessing.Queue(); p = multiprocessing.Process(target=f, args=(q,))
                    p.start(); print(q.get()); p.join()
                    with multiprocessing.Pool(4) as pool: print(pool.map(abs, [-1, -2]))
        """),
        ("concurrent.futures", "ProcessPoolExecutor, as_completed, wait, Future", """
        from concurrent.futures import ProcessPoolExecutor, as_completed
          example:  with ProcessPoolExecutor(4) as ex:
                        futures = [ex.submit(pow, 2, n) for n in range(5)]
                        print(sorted(f.result() for f in as_completed(futures)))
        """),
        ("queue", "the Empty and Full exceptions", """
        import queue — queue.Empty and queue.Full, raised by Queue.get/put with block=False or a timeout.
          example:  try: q.get(timeout=0.1)
                    except queue.Empty: print('nothing yet')
        """),
        ("modules", "the other modules", """
        Plain modules: sys (argv, exit), os (getpid, getppid, environ, path), time (time, perf_counter, sleep),
        math, random, itertools, functools, collections, string, json, re, datetime, dataclasses, logging,
        signal, platform, typing, urllib.parse.
          example:  import os; print(os.getpid())
                    import math; print(math.sqrt(2))
        """),
    ]

    /// The help text for `topic` ("" lists the topics).
    public static func text(_ topic: String) -> String {
        let t = topic.trimmingCharacters(in: " \t")
        if t.isEmpty {
            var s = "mpsh: Python's multiprocessing, with quick commands. Type Python, or a command:\n"
            for (name, summary, text) in topics where !text.isEmpty {
                s += "  " + name.padding(toLength: 19, withPad: " ", startingAt: 0) + summary + "\n"
            }
            return s + "help TOPIC shows one, with an example.\n"
        }
        if let found = topics.first(where: { $0.name == t && !$0.text.isEmpty }) { return found.text + "\n" }
        let names = topics.filter { !$0.text.isEmpty }.map(\.name)
        return "help: no topic '\(t)'; topics: \(names.joined(separator: ", "))\n"
    }
}
