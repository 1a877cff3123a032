# struct_time returned by localtime/gmtime and accepted by mktime, strftime, asctime and calendar-style code
import time
lt = time.localtime(1700000000)
print(type(lt).__name__, lt.tm_year, lt.tm_yday, lt.tm_isdst in (0, 1))
print(time.mktime(lt) == 1700000000.0, time.mktime(tuple(lt)) == 1700000000.0)
print(time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(1700000000)))
print(time.strftime('%a %b %d %j %Z', time.gmtime(0)), time.strftime('%z', time.gmtime(0)))
print(time.asctime(time.gmtime(1700000000)), time.asctime(tuple(time.gmtime(1700000000))))
v = time.struct_time((2020, 1, 2, 3, 4, 5, 3, 2, 0, 'XYZ', 3600))
print(time.strftime('%Z %z %H:%M', v), time.strftime('%Y %j', v))
g = time.gmtime(1234567890)
print(time.strftime('%d/%m/%Y', g), g.tm_wday, time.strftime('%A', g))
for bad in [None, 5, 'x']:
    try:
        time.mktime(bad)
    except TypeError as e:
        print('TypeError', e)
try:
    time.localtime(g)
except TypeError as e:
    print('TypeError', e)
def age_days(st):
    return (time.mktime(st) - time.mktime(time.localtime(0))) // 86400
print(age_days(time.localtime(86400 * 10)))
print(time.gmtime(0)[:6] + (0, 1, -1), time.localtime(0) == time.localtime(0))
