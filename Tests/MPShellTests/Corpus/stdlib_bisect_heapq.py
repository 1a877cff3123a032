# bisect and heapq: CPython's heap order after pushes, pops, heapify; merge, nlargest/nsmallest; error messages
import bisect, heapq
a = [5, 1, 8, 3, 9, 2, 7]; a.sort(); print(a)
print(bisect.bisect_left(a, 3), bisect.bisect_right(a, 3), bisect.bisect(a, 4), bisect.bisect_left(a, 3, 3), bisect.bisect_right(a, 9, 0, 3))
bisect.insort(a, 4); bisect.insort_left(a, 3); print(a)
recs = [(1, "a"), (3, "b"), (5, "c")]
print(bisect.bisect_left(recs, 3, key=lambda r: r[0]))
bisect.insort(recs, (4, "d"), key=lambda r: r[0]); print(recs)
try: bisect.bisect_left(a, 1, -1)
except ValueError as e: print("ValueError", e)
h = []
for x in [5, 3, 8, 1, 9, 2, 7, 1, 4]: heapq.heappush(h, x)
print(h)
print([heapq.heappop(h) for _ in range(3)], h)
l = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 5, 5]; heapq.heapify(l); print(l)
print(heapq.heapreplace(l, 10), l); print(heapq.heappushpop(l, -1), heapq.heappushpop(l, 6), l)
print(heapq.nlargest(3, [4, 1, 7, 3, 7, 9]), heapq.nsmallest(2, [4, 1, 7, 3]), heapq.nsmallest(2, ["bb", "a", "ccc"], key=len))
print(heapq.nlargest(2, [(1, 'a'), (2, 'b'), (2, 'c')], key=lambda t: t[0]))
print(list(heapq.merge([1, 4, 7], [2, 5, 8], [3, 6, 9])))
print(list(heapq.merge([7, 4, 1], [8, 5, 2], reverse=True)))
print(list(heapq.merge(["a", "ccc"], ["bb", "dddd"], key=len)))
try: heapq.heappop([])
except IndexError as e: print("IndexError", e)
heapq.heappop([])
