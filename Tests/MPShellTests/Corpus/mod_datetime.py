from datetime import datetime, timedelta, date
import datetime as dtmod
d = datetime(2024, 2, 28, 23, 30, 15)
print(d, repr(d), d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond)
e = d + timedelta(hours=1, minutes=45)
print(e, e - d, repr(e - d), (e - d).total_seconds(), d < e, d == datetime(2024, 2, 28, 23, 30, 15))
print(d.strftime("%Y-%m-%d %H:%M:%S"), d.strftime("%A %d %B %Y, %I:%M %p"), d.isoformat(), d.date(), d.weekday())
print(timedelta(days=1, seconds=3), timedelta(seconds=90), timedelta(days=-1), timedelta(weeks=2, hours=3), timedelta(milliseconds=1500))
print(repr(timedelta(seconds=90)), timedelta(minutes=5) * 3, timedelta(hours=1) / timedelta(minutes=15), -timedelta(hours=1))
print(date(2020, 1, 1), repr(date(2020, 12, 31)), date(2021, 3, 1) - date(2020, 3, 1), date(2024, 1, 31) + timedelta(days=1))
print(datetime(2024, 1, 1, 0, 0, 0, 500), (datetime(2024, 3, 1) - datetime(2024, 2, 1)).days, dtmod.datetime(1999, 12, 31).isoformat(" "))
now = datetime.now()
print(type(now).__name__, now.year >= 2024, isinstance(now - now, timedelta), (now - now).total_seconds())
try:
    datetime(2023, 2, 29)
except ValueError as e:
    print("ValueError:", e)
print(sorted([datetime(2020, 5, 1), datetime(2019, 1, 1)]), max(date(2020, 1, 1), date(2021, 1, 1)))
