# traceback: format_exc/print_exc/format_exception/format_exception_only in an error handler (last lines and shape)
import traceback, sys, io

def inner(x):
    return 1 / x

def outer():
    return inner(0)

try:
    outer()
except ZeroDivisionError:
    text = traceback.format_exc()
    lines = text.splitlines()
    print(lines[0], '|', lines[-1], '|', 'in inner' in text)
    buf = io.StringIO()
    traceback.print_exc(file=buf)
    print(buf.getvalue().splitlines()[-1])
try:
    try:
        {}['missing']
    except KeyError as e:
        raise ValueError('bad value') from e
except ValueError as e:
    parts = traceback.format_exception(e)
    print(parts[-1], 'direct cause' in ''.join(parts), isinstance(parts, list))
    print(traceback.format_exception_only(type(e), e), traceback.format_exception_only(e))
    print(traceback.format_exception(type(e), e, e.__traceback__, chain=False)[-1], end='')
print(repr(traceback.format_exc()))
