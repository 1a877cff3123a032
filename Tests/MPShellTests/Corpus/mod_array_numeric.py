# array: numeric work on arrays (sums, in-place updates, slicing, sorting copies), like scimark/raytrace do
from array import array

N = 8
grid = [array('d', [0.0]) * N for _ in range(N)]
for y in range(N):
    for x in range(N):
        grid[y][x] = (x * y) / 7.0
print(round(sum(sum(row) for row in grid), 6), grid[3][5], len(grid[0]), grid[2][1:4])
pixels = array('B', [0] * (4 * 3))
for i in range(len(pixels)):
    pixels[i] = (i * 37) % 256
print(pixels, pixels.tobytes().hex(), max(pixels), sorted(pixels)[:3])
v = array('i', range(10))
v[2:5] = array('i', [-1, -2, -3])
del v[0]
v.extend(range(3))
print(v, v.count(0), v.index(-2), v[::-2], list(reversed(v))[:3])
acc = array('d')
for k in range(5):
    acc.append(k ** 0.5)
print([round(a, 3) for a in acc], acc.buffer_info()[1], array('l', [2 ** 40]).tolist())
