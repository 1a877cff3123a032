"""importlib: import_module, a module by its dotted name (relative names against `package`)."""

__all__ = ["import_module", "invalidate_caches", "reload"]


def import_module(name, package=None):
    """Import a module: `import_module('xml.etree.ElementTree')` returns the submodule itself."""
    if name.startswith("."):
        if not package:
            raise TypeError("the 'package' argument is required to perform a relative import for %r" % name)
        level = len(name) - len(name.lstrip("."))
        base = package.rsplit(".", level - 1)[0] if level > 1 else package
        name = base + "." + name[level:]
    # a non-empty fromlist makes __import__ return the named module, not its top-level package
    return __import__(name, None, None, ["__name__"])


def invalidate_caches():
    pass


def reload(module):
    """mpsh does not re-run a module: the module is returned as it is."""
    return module
