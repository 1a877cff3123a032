# Records packed with struct travel as bytes through a Queue; a child unpacks, sums and packs an answer.
import multiprocessing as mp
import struct

RECORD = struct.Struct('<iHd')

def child(q_in, q_out):
    total = 0.0
    while True:
        data = q_in.get()
        if data is None:
            break
        for n, k, x in RECORD.iter_unpack(data):
            total += n * k * x
    q_out.put(struct.pack('<d', total))

if __name__ == '__main__':
    q_in, q_out = mp.Queue(), mp.Queue()
    p = mp.Process(target=child, args=(q_in, q_out))
    p.start()
    for batch in range(3):
        q_in.put(b''.join(RECORD.pack(i, batch + 1, 0.5) for i in range(10)))
    q_in.put(None)
    print(struct.unpack('<d', q_out.get(timeout=10)))
    p.join()
    print(RECORD.size, p.exitcode)
