from multiprocessing import Process, Queue
import time

def reader_queue(q):
    while True:
        msg = q.get()     # Read from the output pipe and do nothing
        if msg=='DONE':
            break

def writer_quque(count, q):
    for i in range(count):
        q.put(i)
    q.put('DONE')

if __name__=='__main__':
    for count in [10**4, 10**5, 10**6]:
        q = Queue()
        reader_p = Process(target=reader_queue, args=(q,))
        reader_p.start()     # Launch the reader process

        s = time.time()
        writer_quque(count, q) # Send a lot of stuff to reader_proc()
        reader_p.join()
        e = time.time()
        print("Sending {0} numbers to Queue() took {1} seconds".format(count, e-s))
