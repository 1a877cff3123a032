# heapq and bisect: a priority queue of tuples, merge of sorted streams, n-largest with keys, grade lookups
import heapq, bisect

tasks = []
for prio, name in [(3, 'write'), (1, 'plan'), (2, 'test'), (1, 'coffee'), (5, 'ship')]:
    heapq.heappush(tasks, (prio, name))
print([heapq.heappop(tasks) for _ in range(3)], tasks[0])
data = [9, 1, 8, 2, 7, 3]
heapq.heapify(data); print(data, heapq.heappushpop(data, 0), heapq.heapreplace(data, 10), sorted(data))
print(list(heapq.merge([1, 4, 7], [2, 5, 8], [3, 6])), list(heapq.merge(['b', 'd'], ['a', 'c'], key=str.upper)))
words = ['pear', 'fig', 'banana', 'kiwi', 'apple']
print(heapq.nlargest(2, words, key=len), heapq.nsmallest(3, words), heapq.nlargest(10, [3, 1]))
def grade(score, breakpoints=[60, 70, 80, 90], grades='FDCBA'):
    return grades[bisect.bisect(breakpoints, score)]
print([grade(s) for s in [33, 99, 77, 70, 89, 90, 100]])
a = [1, 2, 4, 4, 8]
print(bisect.bisect_left(a, 4), bisect.bisect_right(a, 4), bisect.bisect_left(a, 5, 0, 3))
bisect.insort(a, 5); bisect.insort_left(a, 4); print(a)
recs = [('a', 1), ('c', 3), ('e', 5)]
print(bisect.bisect_left(recs, 3, key=lambda r: r[1]))
bisect.insort(recs, ('d', 4), key=lambda r: r[1]); print(recs)
