# csv: DictReader/DictWriter with restkey/restval, extrasaction, header handling, and csv.Error
import csv, io

data = 'id,name,score\n1,ann,9.5\n2,bob\n3,cy,7,extra,more\n'
reader = csv.DictReader(io.StringIO(data), restkey='rest', restval='?')
for row in reader:
    print(row)
print(reader.fieldnames, reader.line_num)
out = io.StringIO()
w = csv.DictWriter(out, fieldnames=['id', 'name'], restval='-', lineterminator='\n')
w.writeheader()
w.writerow({'id': 1, 'name': 'ann'})
w.writerow({'id': 2})
w.writerows([{'name': 'x', 'id': 3}])
print(repr(out.getvalue()))
try:
    w.writerow({'id': 4, 'age': 5})
except ValueError as e:
    print('ValueError:', e)
w2 = csv.DictWriter(io.StringIO(), fieldnames=['a'], extrasaction='ignore')
w2.writerow({'a': 1, 'b': 2})
for bad in [lambda: list(csv.reader(['"unterminated'], strict=True)), lambda: csv.get_dialect('nope'),
            lambda: csv.writer(io.StringIO(), quoting=csv.QUOTE_NONE).writerow(['a,b'])]:
    try:
        bad()
    except csv.Error as e:
        print('csv.Error:', e)
print(list(csv.DictReader(io.StringIO('a,b\n1,2\n'), fieldnames=['x', 'y'])))
