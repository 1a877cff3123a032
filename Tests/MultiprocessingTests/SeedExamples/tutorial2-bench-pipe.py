### Performance Benchmarking Pipes vs Queues 
#### Queues
from multiprocessing import Process, Pipe
import time

def reader_pipe(conn):
    while True:
        msg = conn.recv()    # Read from the output pipe and do nothing
        if msg=='DONE':
            break
    conn.close()

def writer_pipe(count, conn):
    for i in range(count):
        conn.send(i)             # Write 'count' numbers into the input pipe
    conn.send('DONE')
    conn.close()

if __name__=='__main__':
    for count in [10**4, 10**5, 10**6]:
        # Pipes are unidirectional with two endpoints:  p_input ------> p_output
        p_w, p_r = Pipe()  # writer() writes to p_input from _this_ process
        reader_p = Process(target=reader_pipe, args=(p_r,))
        reader_p.start()     # Launch the reader process

        s = time.time()
        writer_pipe(count, p_w) # Send a lot of stuff to reader_proc()
        reader_p.join()
        e = time.time()
        print("Sending {0} numbers to Pipe() took {1} seconds".format(count, e-s))
