"""Helpers of the native dataclasses module: the frozen __setattr__/__delattr__ are Python functions because the
engine calls a class's own __setattr__ only when it is one."""


def make_frozen(cls, names, error):
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise error("cannot assign to field %r" % (name,))
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise error("cannot delete field %r" % (name,))
        super(cls, self).__delattr__(name)

    __setattr__.__qualname__ = cls.__qualname__ + '.__setattr__'
    __delattr__.__qualname__ = cls.__qualname__ + '.__delattr__'
    cls.__setattr__ = __setattr__
    cls.__delattr__ = __delattr__
