import random
random.seed(42)
xs = [random.random() for _ in range(100)]
print(all(0 <= x < 1 for x in xs), len(xs))
ints = [random.randint(1, 6) for _ in range(200)]
print(min(ints) >= 1, max(ints) <= 6, set(ints) <= {1, 2, 3, 4, 5, 6})
u = random.uniform(5, 10)
print(5 <= u <= 10)
items = ["a", "b", "c"]
print(random.choice(items) in items)
deck = list(range(10))
random.shuffle(deck)
print(sorted(deck) == list(range(10)), len(random.sample(range(100), 5)), random.randrange(10) < 10)
print(len(random.choices("ab", k=4)))
