# csv: writing a file with newline='' semantics and reading it back with DictReader; numbers via QUOTE_NONNUMERIC
import csv, io

rows = [{'city': 'Zürich', 'pop': 421878, 'area': 87.88}, {'city': 'Genève, GE', 'pop': 203856, 'area': 15.93}]
buf = io.StringIO()
w = csv.DictWriter(buf, fieldnames=['city', 'pop', 'area'], quoting=csv.QUOTE_NONNUMERIC)
w.writeheader()
w.writerows(rows)
text = buf.getvalue()
print(repr(text))
back = list(csv.DictReader(io.StringIO(text), quoting=csv.QUOTE_NONNUMERIC))
print(back)
print([type(r['pop']).__name__ for r in back], sum(r['pop'] for r in back))
