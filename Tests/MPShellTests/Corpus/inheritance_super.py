class Animal:
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "..."
    def describe(self):
        return f"{self.name}: {self.speak()}"
class Cat(Animal):
    def speak(self):
        return "meow"
class Lion(Cat):
    def __init__(self, name, pride):
        super().__init__(name)
        self.pride = pride
    def speak(self):
        return super().speak().upper() + "!"
class Robot(Animal):
    def __init__(self, name):
        Animal.__init__(self, name + "-bot")
for a in [Animal("generic"), Cat("Tom"), Lion("Leo", 5), Robot("R2")]:
    print(a.describe())
l = Lion("Simba", 3)
print(isinstance(l, Animal), isinstance(l, Cat), issubclass(Lion, Animal), issubclass(Animal, Lion), l.pride)
print([c.__name__ for c in Lion.__mro__])
