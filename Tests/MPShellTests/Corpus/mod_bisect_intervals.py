# bisect over sorted intervals and timestamps: lookups, range counts, keeping a list sorted while inserting
import bisect

times = [10, 20, 20, 30, 45, 60]
print(bisect.bisect_left(times, 20), bisect.bisect_right(times, 20), bisect.bisect(times, 0), bisect.bisect(times, 99))
def count_between(lo, hi):
    return bisect.bisect_right(times, hi) - bisect.bisect_left(times, lo)
print(count_between(15, 30), count_between(31, 44), count_between(0, 100))
boundaries = [0, 18, 65]
labels = ['child', 'adult', 'senior']
print([labels[bisect.bisect_right(boundaries, age) - 1] for age in [3, 18, 40, 65, 90]])
live = []
for x in [5, 1, 4, 1, 5, 9, 2, 6]:
    bisect.insort(live, x)
print(live, bisect.bisect_left(live, 5, lo=2, hi=5))
