import itertools
print(list(itertools.islice(itertools.count(10), 5)), list(itertools.islice(itertools.count(0, 5), 3)))
print(list(itertools.chain([1, 2], (3,), "ab")), list(itertools.chain.from_iterable([[1], [2, 3]])))
print(list(itertools.product("ab", [1, 2])), len(list(itertools.product(range(3), repeat=2))))
print(list(itertools.permutations([1, 2, 3], 2)), list(itertools.combinations("abcd", 2)))
print(list(itertools.islice(itertools.cycle("xy"), 5)), list(itertools.repeat(7, 3)), list(itertools.accumulate([1, 2, 3, 4])))
print([(k, list(g)) for k, g in itertools.groupby("aaabccd")], list(itertools.zip_longest("ab", "xyz", fillvalue="-")))
print(list(itertools.takewhile(lambda x: x < 3, [1, 2, 5, 1])), list(itertools.dropwhile(lambda x: x < 3, [1, 2, 5, 1])), list(itertools.starmap(pow, [(2, 3), (3, 2)])))
print(list(itertools.islice("abcdefg", 1, 6, 2)))
