# pickle: several objects dumped to one file one after another and loaded back in order; Pickler/Unpickler objects
import pickle, io, os, tempfile

path = os.path.join(tempfile.gettempdir(), 'mpsh-pickle-%d.bin' % os.getpid())
items = [{'n': i, 'sq': i * i, 'tag': 'item%d' % i} for i in range(5)]
with open(path, 'wb') as f:
    for it in items:
        pickle.dump(it, f)
back = []
with open(path, 'rb') as f:
    while True:
        try:
            back.append(pickle.load(f))
        except EOFError:
            break
print(back == items, len(back))
os.remove(path)
buf = io.BytesIO()
p = pickle.Pickler(buf, protocol=2)
shared = ['shared']
p.dump([shared, shared])
p.dump('second')
buf.seek(0)
u = pickle.Unpickler(buf)
first = u.load()
print(first, first[0] is first[1], u.load(), buf.read())
print(pickle.loads(pickle.dumps(items, 0)) == items, len(pickle.dumps(items, 0)) > len(pickle.dumps(items, 4)))
