# xml.etree.ElementTree: building trees (Element, SubElement, attributes, text and tail), list operations on
# children, and serialising with tostring in bytes, str and other encodings
import re
import xml.etree.ElementTree as ET


def masked(s):
    return re.sub(r'0x[0-9a-f]+', '0xADDR', s)


root = ET.Element('catalog', {'version': '2'}, lang='en')
print(masked(repr(root)), root.tag, root.attrib, root.text, root.tail, len(root))
for i in range(3):
    book = ET.SubElement(root, 'book', id='b%d' % i)
    ET.SubElement(book, 'title').text = 'Title <%d> & more' % i
    price = ET.SubElement(book, 'price', currency='EUR')
    price.text = str(10 + i * 2.5)
    book.tail = '\n'
print(ET.tostring(root))
print(ET.tostring(root, encoding='unicode'))
print(ET.tostring(root[0], encoding='utf-8'))
print(ET.tostring(root[0], encoding='UTF-8', xml_declaration=True))
print(ET.tostring(root[0], encoding='utf8'))
print(ET.tostring(root[1], encoding='unicode', xml_declaration=False), ET.tostring(ET.Element('e'), short_empty_elements=False))
b = root[1]
print(b.get('id'), b.get('missing'), b.get('missing', 'dflt'), sorted(b.keys()), sorted(b.items()))
b.set('id', 'changed "quoted"\tand\nnewline')
b.attrib['extra'] = '<&>'
print(ET.tostring(b, encoding='unicode'))
print([e.tag for e in root], [e.get('id') for e in root[:2]], root[-1].get('id'), len(root[0]))
new = ET.Element('book', id='new')
root.insert(1, new)
root.append(ET.Element('last'))
root.extend([ET.Element('x1'), ET.Element('x2')])
print([e.tag + ':' + str(e.get('id')) for e in root])
root.remove(new)
del root[-2:]
print([e.tag for e in root], len(root))
root[0] = ET.Element('replaced')
root[1:2] = [ET.Element('s1'), ET.Element('s2')]
print([e.tag for e in root])
try:
    root.append('not an element')
except TypeError as e:
    print('TypeError', e)
try:
    root.remove(ET.Element('nobody'))
except ValueError as e:
    print('ValueError', e)
try:
    ET.Element('a', 'not a dict')
except TypeError as e:
    print('TypeError', e)
m = root.makeelement('made', {'k': 'v'})
print(m.tag, m.attrib, len(root))
t = ET.Element('t')
t.text = 'caf\u00e9 \u20ac'
t.tail = 'ignored at top'
print(ET.tostring(t), ET.tostring(t, encoding='unicode'), ET.tostring(t, encoding='utf-8'), ET.tostring(t, encoding='latin-1'))
c = ET.Element('c')
c.append(ET.Comment(' a comment '))
c.append(ET.ProcessingInstruction('target', 'data here'))
ET.SubElement(c, 'd').text = 'x'
print(ET.tostring(c, encoding='unicode'), c[0].tag is ET.Comment, c[1].tag is ET.PI)
print(ET.tostring(c, method='text', encoding='unicode'), ET.tostring(root, method='html', encoding='unicode'))
c.clear()
print(ET.tostring(c), c.attrib, c.text, bool(len(c)))
print(ET.iselement(c), ET.iselement('c'), ET.tostring(ET.Element('n', a='1', b='2', c='3')))
