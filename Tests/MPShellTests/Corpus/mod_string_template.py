# string.Template: identifiers, braces, escapes, invalid placeholders and their positions, subclass delimiters
import string

t = string.Template('Dear ${title} $name,\nYou owe $$$amount.')
print(t.substitute(title='Dr', name='Who', amount=5), t.get_identifiers(), t.is_valid())
print(string.Template('$a$b ${c}d').substitute({'a': 1, 'b': 2}, c=3))
for bad in ['$ x', 'ok\n  $1abc']:
    try:
        string.Template(bad).substitute()
    except ValueError as e:
        print('ValueError:', e)
class Percent(string.Template):
    delimiter = '%'
print(Percent('%who wins %%1').substitute(who='ann'), string.Template('$x').safe_substitute(), string.Template('$x').is_valid())
