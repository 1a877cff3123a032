class AppError(Exception):
    pass
class NotFound(AppError):
    def __init__(self, what):
        super().__init__(f"{what} not found")
        self.what = what
class Detailed(Exception):
    def __init__(self, code, msg):
        self.code = code
        self.msg = msg
    def __str__(self):
        return f"[{self.code}] {self.msg}"
for exc in [AppError("plain"), NotFound("file"), Detailed(404, "nope")]:
    try:
        raise exc
    except AppError as e:
        print("app:", e, isinstance(e, Exception))
    except Exception as e:
        print("other:", e, e.code)
try:
    raise NotFound("user")
except NotFound as e:
    print(e.what, e.args, repr(e))
try:
    raise ValueError("a") from KeyError("b")
except ValueError as e:
    print(repr(e), repr(e.__cause__))
print(issubclass(NotFound, Exception), NotFound.__mro__[1].__name__)
raise NotFound("config")
