# Issue 20: shared arrays and pools with sizes that cannot be: CPython's exceptions, the process goes on.
import multiprocessing

def square(x):
    return x * x

def attempt(label, f):
    try:
        r = f()
        print(label, "->", r)
    except (MemoryError, OverflowError, ValueError, TypeError) as e:
        print(label, "->", type(e).__name__, e)

if __name__ == "__main__":
    attempt("Array('i', 2**61)", lambda: multiprocessing.Array("i", 2**61))
    attempt("RawArray('d', 2**61)", lambda: multiprocessing.RawArray("d", 2**61))
    attempt("Array('i', -1)", lambda: multiprocessing.Array("i", -1))
    attempt("len(Array('b', 10))", lambda: len(multiprocessing.Array("b", 10)))
    with multiprocessing.Pool(2) as pool:
        attempt("map over range(10**12)", lambda: pool.map(square, range(10**12)))
        attempt("map over range(-2**63, 2**63)", lambda: pool.map(square, range(-2**63, 2**63)))
        print(pool.map(square, range(5)))
