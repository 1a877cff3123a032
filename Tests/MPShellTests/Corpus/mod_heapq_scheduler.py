# heapq as a scheduler: events with times and tie-breaking counters, cancelled entries skipped, top-k streaming
import heapq, itertools

counter = itertools.count()
queue, entries = [], {}
def schedule(t, name):
    entry = [t, next(counter), name, True]
    entries[name] = entry
    heapq.heappush(queue, entry)
def cancel(name):
    entries.pop(name)[3] = False
for t, n in [(5, 'e'), (1, 'a'), (3, 'c'), (1, 'b'), (4, 'd')]:
    schedule(t, n)
cancel('c')
order = []
while queue:
    t, _, name, live = heapq.heappop(queue)
    if live:
        order.append((t, name))
print(order)
top = []
for x in [5, 1, 9, 3, 7, 2, 8]:
    if len(top) < 3:
        heapq.heappush(top, x)
    else:
        heapq.heappushpop(top, x)
print(sorted(top, reverse=True), heapq.nsmallest(2, [(2, 'b'), (1, 'z'), (1, 'a')]))
