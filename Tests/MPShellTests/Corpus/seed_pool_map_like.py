def square(x):
    return x * x
def cube(x):
    return x ** 3
inputs = list(range(10))
print(list(map(square, inputs)))
print([cube(x) for x in inputs])
results = {x: square(x) for x in inputs if x % 2 == 0}
print(results)
def task(args):
    a, b = args
    return a + b
print(list(map(task, zip(range(3), range(10, 13)))))
