# traceback: implicit chaining ("During handling..."), print_exception to a file, custom exception messages
import traceback, io

class AppError(Exception):
    def __str__(self):
        return 'app failed: ' + ', '.join(map(str, self.args))

def load():
    try:
        int('x')
    except ValueError:
        raise AppError('load', 42)

try:
    load()
except AppError as e:
    out = io.StringIO()
    traceback.print_exception(e, file=out)
    text = out.getvalue()
    print('During handling of the above exception' in text, text.splitlines()[-1])
    print(traceback.format_exception_only(e)[0], end='')
    print([l for l in traceback.format_exception(e, chain=False) if not l.startswith(' ')][-1], end='')
print(traceback.format_exception_only(KeyError('k'))[0], end='')
print(traceback.format_exception_only(SyntaxError)[0] if False else '', end='')
