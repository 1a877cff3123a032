# time.struct_time: named fields, a 9-tuple for indexing and comparison, CPython's repr, tm_zone/tm_gmtoff
import time
t = time.gmtime(86400 * 365 + 3723)
print(t)
print(t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, t.tm_wday, t.tm_yday, t.tm_isdst)
print(t.tm_zone, t.tm_gmtoff, len(t), t[0], t[-1], t[1:4], t[::3], tuple(t), list(t)[:2])
print(isinstance(t, tuple), type(t).__name__, time.struct_time.__name__)
y, mo, d, h, mi, s, wd, yd, dst = t
print(y, mo, d, h, mi, s, wd, yd, dst)
print(t == tuple(t), t == time.gmtime(86400 * 365 + 3723), t < time.gmtime(86400 * 400), t.count(1), t.index(1))
print(time.struct_time.n_fields, time.struct_time.n_sequence_fields, time.struct_time.n_unnamed_fields)
u = time.struct_time((2020, 1, 2, 3, 4, 5, 3, 2, 0))
print(u, u.tm_zone, u.tm_gmtoff, u.tm_wday)
v = time.struct_time((2020, 1, 2, 3, 4, 5, 3, 2, 0, 'XYZ', 3600))
print(v, v.tm_zone, v.tm_gmtoff, len(v))
print(time.struct_time([1] * 9))
for bad in [(1, 2, 3), tuple(range(12))]:
    try:
        time.struct_time(bad)
    except TypeError as e:
        print('TypeError', e)
print({t: 'epoch+1y'}[tuple(t)], sorted([time.gmtime(5), time.gmtime(1)])[0].tm_sec)
print('%d-%02d-%02d' % t[:3], '{0.tm_year}/{0.tm_mon}'.format(t))
import json
print(json.dumps(t), json.dumps({'flags': __import__('re').I}))
print('%d/%d/%d %d:%d:%d %d %d %d' % t)
print(sorted(t)[:2], max(t), sum(t), t + (1,), (0,) + t[:2], dict(zip('abc', t)), '{}-{}'.format(*t))
first, *rest = t
print(first, rest)
