# csv: reading quoted fields, embedded delimiters, quotes and newlines; writing with each quoting mode
import csv, io

text = 'name,age,note\r\nann,31,"likes ""tea"", cake"\r\nbob,,"two\nlines"\r\n\r\n"x,y",5,plain\r\n'
rows = list(csv.reader(io.StringIO(text)))
print(rows)
r = csv.reader(io.StringIO('a;b;c\n1;2;3\n'), delimiter=';')
print(list(r), r.line_num)
print(list(csv.reader(['a, b, "c, d"'], skipinitialspace=True)), list(csv.reader(['1,"2",x'], quoting=csv.QUOTE_NONNUMERIC)) if False else '')
for quoting in [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]:
    out = io.StringIO()
    w = csv.writer(out, quoting=quoting)
    w.writerow(['plain', 'with,comma', 'with "quote"', 3, 2.5, None, ''])
    w.writerows([[1, 2], ['line\nbreak']])
    print(repr(out.getvalue()))
out = io.StringIO()
csv.writer(out, delimiter='\t', lineterminator='\n').writerow(['a', 'b\tc'])
print(repr(out.getvalue()))
out = io.StringIO()
csv.writer(out, quoting=csv.QUOTE_NONE, escapechar='\\').writerow(['a,b', 'c'])
print(repr(out.getvalue()), csv.list_dialects()[:3])
csv.register_dialect('pipes', delimiter='|', quoting=csv.QUOTE_ALL)
out = io.StringIO(); csv.writer(out, dialect='pipes').writerow([1, 'x']); print(repr(out.getvalue()))
print(list(csv.reader(io.StringIO('"1"|"x"\r\n'), dialect='pipes')))
