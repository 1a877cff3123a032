# spawn and forkserver children: is_alive, daemon, active_children, terminate (exit code -SIGTERM) and repr; a
# daemonic spawned child still running at exit is terminated.
import multiprocessing as mp, time
def sleeper(ev):
    ev.set()
    time.sleep(30)
if __name__ == '__main__':
    for m in ('spawn', 'forkserver'):
        ctx = mp.get_context(m)
        ev = ctx.Event()
        p = ctx.Process(target=sleeper, args=(ev,), daemon=True)
        p.start(); ev.wait(30)
        print(m, p.is_alive(), p.daemon, len(mp.active_children()))
        p.terminate(); p.join()
        print(p.exitcode, p.is_alive(), p)
    p = mp.get_context('spawn').Process(target=sleeper, args=(ctx.Event(),), daemon=True)
    p.start()
    print("exit with a daemon running")
