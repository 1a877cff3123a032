# Values across processes on every path of the binding's and the library's fast paths: scalars encoded without
# the general encoder (ints at the varint edges, floats, empty/ASCII/non-ASCII strings), lists of small ints, and
# messages longer than the 4 KiB stack buffer (which fall back to the general read), through a Pipe, a Queue,
# a SimpleQueue and a JoinableQueue, in both directions; then Pool.map over a range and a list, and apply_async.
import multiprocessing as mp

VALUES = [0, 1, -1, 63, 64, -64, -65, 127, 128, 2**31, -2**31, 2**62, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 2**200,
          0.0, -0.0, 1.5, float('inf'), None, True, False, '', 'a', 'DONE!', 'héllo wörld', '日本語', 'x' * 127,
          'y' * 128, 'z' * 5000, 'é' * 3000, b'', b'\x00' * 5000, list(range(300)), [2**63, -1, 'a', None],
          (1, 'two', 3.0), {'k': [1, 2]}]


def echo_pipe(conn):
    while True:
        v = conn.recv()
        conn.send(v)
        if v == 'DONE':
            break


def echo_queue(inq, outq):
    while True:
        v = inq.get()
        outq.put(v)
        if v == 'DONE':
            break


def f(x):
    return x * x + 1


def check(label, got):
    print(label, 'ok' if got == VALUES + ['DONE'] else 'MISMATCH', len(got), repr(got[16])[:20], repr(got[-5])[:20])


if __name__ == '__main__':
    a, b = mp.Pipe()
    p = mp.Process(target=echo_pipe, args=(b,))
    p.start()
    got = []
    for v in VALUES + ['DONE']:
        a.send(v)
        got.append(a.recv())
    p.join()
    check('pipe', got)

    for make in (mp.Queue, mp.SimpleQueue, mp.JoinableQueue):
        inq, outq = make(), make()
        p = mp.Process(target=echo_queue, args=(inq, outq))
        p.start()
        for v in VALUES + ['DONE']:
            inq.put(v)
        got = [outq.get() for _ in range(len(VALUES) + 1)]
        p.join()
        check(make.__name__, got)

    with mp.Pool(2) as pool:
        print(sum(pool.map(f, range(-500, 1000))), pool.map(f, [2**40, -3, 0])[:2])
        print([pool.apply_async(f, (x,)).get() for x in (0, -1, 2**31)])
