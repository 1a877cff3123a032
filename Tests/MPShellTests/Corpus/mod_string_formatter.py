# string.Formatter: parse() tuples, a subclass changing field lookup and conversions, nested format specs
import string

f = string.Formatter()
print(list(f.parse('a{0}b{name!r:>5}c{{d}}')))
print(f.format('{0:>{1}}|{x.real}|{y[1]}', 'hi', 5, x=3, y=[7, 8]))
class Defaults(string.Formatter):
    def get_value(self, key, args, kwargs):
        if isinstance(key, str):
            return kwargs.get(key, '<%s?>' % key)
        return super().get_value(key, args, kwargs)
print(Defaults().format('{a} and {b} and {0}', 'zero', a='A'))
print(f.vformat('{}-{}', (1, 2), {}), f.convert_field('x', 'r'), f.format_field(3.14159, '.2f'))
