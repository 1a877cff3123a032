# textwrap: TextWrapper options (break_long_words, break_on_hyphens, max_lines, placeholder, tabs)
import textwrap

w = textwrap.TextWrapper(width=12, break_long_words=True)
print(w.wrap('a supercalifragilistic word and more'))
print(textwrap.wrap('a supercalifragilistic word', width=8, break_long_words=False))
print(textwrap.wrap('well-known state-of-the-art ideas', width=10), textwrap.wrap('well-known', width=5, break_on_hyphens=False))
print(textwrap.fill('one two three four five six seven', width=10, max_lines=2, placeholder=' ...'))
print(textwrap.wrap('tab\tseparated\twords', width=10, expand_tabs=True, tabsize=4))
print(textwrap.indent('x\ny\n', '+ ', lambda line: line.startswith('y')), repr(textwrap.dedent('  a\n    b\n  c')))
