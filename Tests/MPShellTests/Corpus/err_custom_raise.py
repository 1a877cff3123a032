class MyErr(Exception):
    pass
def f():
    raise MyErr('custom message')
f()
