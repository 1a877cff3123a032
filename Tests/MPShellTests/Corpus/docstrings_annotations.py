def area(w: float, h: float = 1.0) -> float:
    """Return the area."""
    return w * h
class P:
    """A point."""
    x: int = 0
    y: int
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y
count: int = 5
names: list = []
print(area(2, 3), area(2), area.__doc__, P(1, 2).x, P.x, count, names)
