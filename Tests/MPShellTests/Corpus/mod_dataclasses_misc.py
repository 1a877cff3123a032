# dataclasses: defaults shared correctly, field metadata and order, make_dataclass, post-init derived fields
from dataclasses import dataclass, field, fields, make_dataclass, asdict, replace

@dataclass
class Config:
    name: str
    retries: int = 3
    tags: list = field(default_factory=lambda: ['default'])
    meta: dict = field(default_factory=dict, metadata={'doc': 'free-form'})
    total: int = field(init=False, default=0)

    def __post_init__(self):
        self.total = self.retries * 10

a, b = Config('a'), Config('b', 5)
a.tags.append('x')
print(a, b, b.tags, a.total, b.total)
from dataclasses import MISSING
print([(f.name, f.default if f.default is not MISSING else 'MISSING', f.default_factory is not MISSING, f.init) for f in fields(Config)])
print(fields(Config)[3].metadata['doc'], replace(b, name='c', retries=1).total)
Point3 = make_dataclass('Point3', [('x', int), ('y', int, 0), 'z'] if False else [('x', int), ('y', int)])
p = Point3(1, 2)
print(p, asdict(p), p == Point3(1, 2))
