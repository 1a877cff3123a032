s = """line one
line two
    indented"""
print(s)
print(len(s.splitlines()))
r = r"C:\new\table\x"
print(r, len(r))
t = '''single 'quoted' triple'''
print(t)
print(r"\d+\s*", "\\d", "a\tb", "\u00e9", "\x41", "\101")
