class Registry:
    items = []
    def register(self, x):
        self.items.append(x)
a, b = Registry(), Registry()
a.register(1); b.register(2)
print(Registry.items, a.items is b.items)
class Config:
    debug = False
c = Config()
c.debug = True
print(Config.debug, c.debug, Config().debug)
Config.debug = "changed"
print(Config().debug, c.debug)
