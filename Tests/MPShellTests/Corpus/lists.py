a = [3, 1, 4, 1, 5, 9, 2, 6]
a.append(5); a.insert(0, 0); a.extend([7, 8])
print(a, len(a), a.count(1), a.index(4))
a.remove(1); print(a, a.pop(), a.pop(0), a)
a.sort(); print(a); a.sort(reverse=True); print(a); a.reverse(); print(a)
b = a.copy(); b[0] = 100; print(a[0], b[0], a[1:4], a[-3:], a[::3], a[::-2])
a[1:3] = ["x", "y", "z"]; print(a)
del a[0]; del a[1:3]; print(a)
print([1, 2] + [3], [0] * 4, sorted([3, 1, 2]), list(range(5)), list("abc"), [[0] * 2] * 2)
m = [[1, 2], [3, 4]]
m[0][1] = 9
print(m, sum(a[2:]) if False else 0, max([1, 7, 3]), min([4, 2, 8]), a.clear(), a)
words = ["banana", "Apple", "cherry"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len, reverse=True))
nums = [5, 2, 8]
nums += [1]
nums *= 2
print(nums, 8 in nums, nums.index(8, 3))
