from multiprocessing import shared_memory
import multiprocessing as mp

def square_all(name, n):
    shm = shared_memory.SharedMemory(name=name)
    for i in range(n):
        shm.buf[i] = (shm.buf[i] * shm.buf[i]) % 256
    shm.close()

if __name__ == '__main__':
    shm = shared_memory.SharedMemory(create=True, size=10)
    shm.buf[:10] = bytes(range(10))
    p = mp.Process(target=square_all, args=(shm.name, 10))
    p.start()
    p.join()
    print(list(shm.buf[:10]))
    print(shm.buf.tolist() == list(shm.buf))
    shm.close()
    shm.unlink()
