class Dog:
    species = "canis"
    def __init__(self, name, age=1):
        self.name = name
        self.age = age
    def bark(self):
        return f"{self.name} says woof"
    def birthday(self):
        self.age += 1
        return self
d = Dog("Rex")
print(d.bark(), d.age, d.birthday().age, Dog.species, d.species, type(d).__name__)
d.species = "own"
print(d.species, Dog.species, hasattr(d, "name"), getattr(d, "missing", "default"))
setattr(d, "color", "brown")
print(d.color, isinstance(d, Dog), isinstance(5, Dog), Dog.__name__)
class Empty:
    pass
e = Empty()
e.x = 1
print(e.x, vars(e))
