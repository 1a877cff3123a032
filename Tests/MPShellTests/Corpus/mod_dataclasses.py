from dataclasses import dataclass, field
@dataclass
class Point:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)
p = Point(1)
q = Point(1, 0)
print(p, p == q, p.x, Point(2, 3, ["a"]))
p.tags.append("t")
print(p, q.tags)
@dataclass
class Job:
    name: str
    priority: int = 5
    def describe(self):
        return f"{self.name}:{self.priority}"
print(Job("a").describe(), sorted([Job("b", 1), Job("a", 2)], key=lambda j: j.priority))
print(type(enumerate([])).__name__)
