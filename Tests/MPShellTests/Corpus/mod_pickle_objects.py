# pickle: instances (__dict__, __getstate__/__setstate__, __reduce__), classes and functions by reference, datetime, shared and recursive references, errors
import pickle, datetime, collections
class Point:
    def __init__(self, x, y):
        self.x = x; self.y = y
    def __eq__(self, o): return type(o) is Point and (self.x, self.y) == (o.x, o.y)
    def __repr__(self): return 'Point(%r, %r)' % (self.x, self.y)
class Empty: pass
class WithState:
    def __init__(self): self.a = 1; self.cache = 'big'
    def __getstate__(self): return {'a': self.a}
    def __setstate__(self, s): self.a = s['a']; self.cache = None
class Reduced:
    def __init__(self, n): self.n = n
    def __reduce__(self): return (Reduced, (self.n * 10,))
def func(): return 1
d = datetime.date(1980, 5, 7); dt = datetime.datetime(2020, 1, 2, 3, 4, 5, 123456); td = datetime.timedelta(days=2, seconds=5, microseconds=9)
shared = [1, 2]
obj = {'p': Point(1, [2, 3]), 'e': Empty(), 's': WithState(), 'r': Reduced(4), 'f': func, 'cls': Point, 'len': len,
       'd': d, 'dt': dt, 'td': td, 'shared': (shared, shared)}
for proto in range(6):
    data = pickle.dumps(obj, proto)
    print(proto, len(data), data[:60])
    back = pickle.loads(data)
    print(back['p'], type(back['e']).__name__, back['s'].a, back['s'].cache, back['r'].n, back['f'] is func, back['cls'] is Point, back['len'] is len)
    print(back['d'], back['dt'], back['td'], back['shared'][0] is back['shared'][1])
rec = []; rec.append(rec)
r2 = pickle.loads(pickle.dumps(rec)); print(r2[0] is r2)
try: pickle.dumps(lambda: 1)
except (pickle.PicklingError, AttributeError) as e: print(type(e).__name__)
try: pickle.loads(b'\x80\x04garbage')
except Exception as e: print(type(e).__name__)
try: pickle.loads(b'')
except EOFError as e: print('EOFError', e)
print(pickle.HIGHEST_PROTOCOL, pickle.DEFAULT_PROTOCOL)
