import os
def info(title):
    print(title)
    print('module name:', __name__)
    print('has parent:', os.getppid() > 0)
def f(name):
    info('function f')
    print('hello', name)
def print_square(num):
    print(f"Square: {num * num}")
def print_cube(num):
    print(f"Cube: {num * num * num}")
if __name__ == '__main__':
    info('main line')
    f('bob')
    print_square(10)
    print_cube(13)
    print("Done")
