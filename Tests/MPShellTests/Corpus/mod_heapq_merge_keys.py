# heapq: merging sorted logs by timestamp with key= and reverse=, nlargest/nsmallest ties kept stable
import heapq

log_a = [(1, 'a1'), (4, 'a4'), (9, 'a9')]
log_b = [(2, 'b2'), (4, 'b4'), (5, 'b5')]
print(list(heapq.merge(log_a, log_b, key=lambda e: e[0])))
print(list(heapq.merge([9, 5, 1], [8, 2], reverse=True)))
scores = [('ann', 90), ('bob', 85), ('cy', 90), ('di', 70), ('ed', 85)]
print(heapq.nlargest(3, scores, key=lambda s: s[1]), heapq.nsmallest(2, scores, key=lambda s: s[1]))
h = [5, 3, 8]
heapq.heapify(h)
print(heapq.heappop(h), heapq.heappop(h), heapq.heappop(h))
try:
    heapq.heappop(h)
except IndexError as e:
    print('IndexError:', e)
