# textwrap: wrap/fill at several widths (hyphens, long words, indents, sentence endings), shorten, dedent, indent
import textwrap
from textwrap import TextWrapper, dedent, indent, wrap, fill, shorten

text = ("The quick brown fox jumps over the lazy dog. Python's textwrap module is a well-known, "
        "often-used helper: it wraps paragraphs of text so that every line fits a given width, breaking "
        "on whitespace and after hyphens in compound words like state-of-the-art or high-performance.")
for width in (10, 25, 40, 70):
    print(width, wrap(text, width))
print(fill(text, 50))
print(fill(text, 30, initial_indent="* ", subsequent_indent="  "))
print(wrap("supercalifragilisticexpialidocious and more", 10))
print(wrap("supercalifragilisticexpialidocious and more", 10, break_long_words=False))
print(wrap("a-b-c-d-e-f-g-h", 5), wrap("well--known em--dash", 8), wrap("x " * 20, 7))
print(wrap("Tabs\tand\nnewlines\r\nhere", 12), wrap("  leading and trailing  ", 10))
print(wrap("  keep  spaces  ", 8, drop_whitespace=False), wrap("no-hyphen-breaks-here ok", 10, break_on_hyphens=False))
print(wrap("Hello there. How are you? Fine.", 80, fix_sentence_endings=True))
print(wrap(text, 30, max_lines=3), wrap(text, 30, max_lines=2, placeholder="..."))
print(repr(shorten("Hello  world!", 12)), repr(shorten("Hello world!", 11)), repr(shorten(text, 40)))
print(repr(shorten(text, 40, placeholder=" (more)")), repr(shorten("short", 10)))
print(wrap("", 10), wrap("   ", 10), fill("one", 10))
w = TextWrapper(width=20, initial_indent="> ", subsequent_indent=">> ")
print(w.wrap(text[:80]), w.width)
block = """
    def f():
        return 1

      # comment
    x = 2
"""
print(repr(dedent(block)))
print(repr(dedent("  a\n\tb\n")), repr(dedent("    x\n  \n    y")), repr(dedent("no indent\n  here")))
print(repr(indent("a\nb\n\nc", "  ")), repr(indent("a\nb\n", "+ ", lambda line: True)))
print(repr(indent("x\r\ny", "> ")))
try:
    wrap("abc", 0)
except ValueError as e:
    print(e)
shorten(text, 3)
