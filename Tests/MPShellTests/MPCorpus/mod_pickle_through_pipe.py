# pickle.dumps bytes sent between processes: the child loads what the parent dumped (all protocols) and answers.
import multiprocessing as mp
import pickle

class Job:
    def __init__(self, name, args):
        self.name, self.args = name, args

def child(conn):
    while True:
        data = conn.recv_bytes()
        if not data:
            break
        job = pickle.loads(data)
        conn.send_bytes(pickle.dumps((job.name, sum(job.args)), protocol=2))
    conn.close()

if __name__ == '__main__':
    parent, kid = mp.Pipe()
    p = mp.Process(target=child, args=(kid,))
    p.start()
    for proto in range(6):
        parent.send_bytes(pickle.dumps(Job('job%d' % proto, list(range(proto + 3))), protocol=proto))
        print(proto, pickle.loads(parent.recv_bytes()))
    parent.send_bytes(b'')
    p.join()
    print(p.exitcode)
