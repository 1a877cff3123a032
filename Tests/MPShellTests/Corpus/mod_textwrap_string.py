# textwrap and string: wrapping, filling, dedent/indent/shorten; string constants, Template, capwords, Formatter
import textwrap, string

text = 'The quick brown fox jumps over the lazy dog and keeps on running far away.'
print(textwrap.wrap(text, 20))
print(textwrap.fill(text, width=30, initial_indent='* ', subsequent_indent='  '))
print(repr(textwrap.dedent('''
    def f():
        return 1
''')))
print(textwrap.indent('a\nb\n\nc', '> '), textwrap.shorten(text, width=30), textwrap.shorten('Hello  world!', width=11))
print(string.ascii_lowercase, string.digits, string.hexdigits, string.punctuation[:10], repr(string.whitespace))
t = string.Template('$who likes ${what}, $$5')
print(t.substitute(who='tim', what='kung pao'), t.safe_substitute(who='ann'))
try:
    t.substitute(who='x')
except KeyError as e:
    print('KeyError:', e)
print(string.capwords('hello   wide world'), string.Formatter().format('{0}-{x}', 1, x=2))
