# xml.etree.ElementTree: ElementPath in find, findall, iterfind and findtext (tags, *, ., .., //, attribute and
# child predicates, positions, namespaces), iter with a tag, and ElementTree's own find methods
import xml.etree.ElementTree as ET

doc = '''<library>
  <shelf name="A">
    <book year="1999" lang="en"><title>Alpha</title><author>Ann</author></book>
    <book year="2005" lang="fr"><title>Beta</title><author>Bob</author><author>Bea</author></book>
    <magazine year="2005"><title>Gamma</title></magazine>
  </shelf>
  <shelf name="B">
    <book year="2010" lang="en"><title>Delta</title></book>
    <box><book year="1850"><title>Epsilon</title></book></box>
  </shelf>
  <note>loose</note>
</library>'''
root = ET.fromstring(doc)


def titles(elems):
    return [e.findtext('title') for e in elems]


print(titles(root.findall('shelf/book')))
print(titles(root.findall('.//book')))
print(titles(root.findall('shelf/*')))
print(titles(root.findall(".//book[@lang='en']")), titles(root.findall('.//book[@lang]')))
print(titles(root.findall('.//*[@year="2005"]')), titles(root.findall(".//book[@lang!='en']")))
print(titles(root.findall('.//book[author]')), titles(root.findall(".//book[author='Bea']")))
print(titles(root.findall('shelf/book[1]')), titles(root.findall('shelf/book[2]')), titles(root.findall('shelf/book[last()]')))
print(titles(root.findall('shelf/book[last()-1]')), titles(root.findall('.//title/..')))
print([e.get('name') for e in root.findall(".//title[.='Beta']/../..")], [e.tag for e in root.findall('./note')])
print(root.find('shelf').get('name'), root.find('nothing'), root.find('.//author').text, root.find('.').tag)
print(root.findtext('note'), root.findtext('missing'), root.findtext('missing', 'default'), repr(root.findtext('shelf')))
print([e.text for e in root.iterfind('.//author')], [e.tag for e in root.find('shelf').iterfind('*')])
print(len(list(root.iter())), len(list(root.iter('book'))), [e.tag for e in root.iter('title')][:3], len(list(root.iter('*'))))
print(root.findall('shelf/box/book/title')[0].text, titles(root.findall('shelf//book')), root.findall('.//nope'))
tree = ET.ElementTree(root)
print(tree.getroot() is root, tree.find('shelf').get('name'), titles(tree.findall('.//book'))[:2], tree.findtext('note'))
print(tree.findall('/shelf') == tree.findall('./shelf') if False else titles(tree.iterfind('shelf/book')))
print([e.tag for e in tree.iter('shelf')])
for bad in ['/abs']:
    try:
        print(root.findall(bad))
    except SyntaxError as e:
        print('SyntaxError', type(e).__name__)
nsdoc = ET.fromstring('<r xmlns:p="urn:p" xmlns="urn:d"><p:a>1</p:a><b>2</b><p:a><b>3</b></p:a></r>')
ns = {'p': 'urn:p', 'd': 'urn:d'}
print([e.text for e in nsdoc.findall('p:a', ns)], [e.text for e in nsdoc.findall('.//d:b', ns)])
print([e.text for e in nsdoc.findall('{urn:p}a')], [e.text for e in nsdoc.findall('{*}b')], nsdoc.findtext('d:b', namespaces=ns))
print([e.tag for e in nsdoc.findall('*')], [e.text for e in nsdoc.iter('{urn:d}b')])
