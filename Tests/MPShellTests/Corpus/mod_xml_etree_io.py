# xml.etree.ElementTree: files and streams: ElementTree.write (names, binary and text files, encodings,
# declarations), parse, iterparse with events and its root, XMLPullParser fed in pieces, indent and dump
import io
import os
import tempfile
import xml.etree.ElementTree as ET

root = ET.Element('data')
for i in range(4):
    item = ET.SubElement(root, 'item', n=str(i))
    item.text = 'value %d' % i
    if i % 2:
        ET.SubElement(item, 'flag')
tree = ET.ElementTree(root)
d = tempfile.mkdtemp()
path = os.path.join(d, 'out.xml')
tree.write(path)
with open(path, 'rb') as f:
    print(f.read())
tree.write(path, encoding='utf-8', xml_declaration=True)
with open(path, 'rb') as f:
    print(f.read())
tree.write(path, encoding='unicode')
with open(path) as f:
    print(f.read())
buf = io.BytesIO()
tree.write(buf, encoding='iso-8859-1')
print(buf.getvalue())
sbuf = io.StringIO()
tree.write(sbuf, encoding='unicode', xml_declaration=False)
print(sbuf.getvalue())
t2 = ET.parse(path)
print(t2.getroot().tag, [e.get('n') for e in t2.getroot()], t2.findtext('item'))
with open(path, 'rb') as f:
    t3 = ET.parse(f)
print(ET.tostring(t3.getroot()) == ET.tostring(root))
events = [(ev, el.tag, el.get('n')) for ev, el in ET.iterparse(path, ('start', 'end'))]
print(events[:6], len(events))
it = ET.iterparse(io.BytesIO(b'<a><b>1</b><c><d/></c></a>'))
print([(ev, el.tag) for ev, el in it], it.root.tag)
ns_events = []
for ev, el in ET.iterparse(io.BytesIO(b'<r xmlns="urn:x" xmlns:q="urn:q"><q:a/></r>'), ['start', 'end', 'start-ns', 'end-ns']):
    ns_events.append((ev, el if ev in ('start-ns', 'end-ns') else el.tag))
print(ns_events)
pp = ET.XMLPullParser(['start', 'end'])
pieces = ['<log><ent', 'ry id="1">fir', 'st</entry><entry id="2">', 'second &amp; ', 'more</entry></log>']
for piece in pieces:
    pp.feed(piece)
    print([(ev, el.tag, el.get('id'), el.text if ev == 'end' else None) for ev, el in pp.read_events()])
pp.close()
big = ET.Element('root')
for i in range(200):
    ET.SubElement(big, 'n', i=str(i)).text = 'x' * (i % 7)
raw = ET.tostring(big)
count = 0
for ev, el in ET.iterparse(io.BytesIO(raw)):
    if el.tag == 'n':
        count += 1
print(count, len(raw))
ET.indent(tree)
print(ET.tostring(root, encoding='unicode'))
ET.indent(root, space='\t', level=0)
ET.dump(root[0])
ET.dump(ET.ElementTree(ET.fromstring('<x><y>1</y></x>')))
os.remove(path)
os.rmdir(d)
