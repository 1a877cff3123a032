from multiprocessing import shared_memory
import multiprocessing as mp

def child(name):
    shm = shared_memory.SharedMemory(name=name)
    shm.buf[0:5] = b"HELLO"
    shm.buf[5] = 33
    shm.close()

if __name__ == '__main__':
    shm = shared_memory.SharedMemory(create=True, size=16)
    print(shm.size, len(shm.buf), shm.name.startswith("psm_"))
    p = mp.Process(target=child, args=(shm.name,))
    p.start(); p.join()
    print(bytes(shm.buf[:6]))
    print(shm.buf[0], shm.buf.tobytes()[:6])
    shm.close()
    shm.unlink()
