# xml.etree.ElementTree: parsing with fromstring/XML: text and tails, entities and character references, CDATA,
# comments and processing instructions skipped, namespaces expanded, bytes in their declared encoding, and expat's
# errors with their positions
import xml.etree.ElementTree as ET

doc = '''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE note [<!ELEMENT note ANY>]>
<!-- a comment before the root -->
<note date="2024-01-02" priority='high'>
  <to>Tove</to>
  <from>Jani &amp; co</from>
  <heading attr="a&lt;b&gt;c&quot;d&apos;e">Reminder &#169; &#x263A;</heading>
  <body>Don't forget <b>me</b> this <i>weekend</i>!<![CDATA[ <raw> & stuff ]]></body>
  <?php echo "hi"; ?>
  <empty/><empty2 />
</note>
<!-- after -->
'''
root = ET.fromstring(doc)
print(root.tag, root.attrib, repr(root.text))
for el in root.iter():
    print(el.tag, el.attrib, repr(el.text), repr(el.tail))
print(ET.tostring(root, encoding='unicode'))
print(list(root.find('body').itertext()), ''.join(root.itertext()).split())
ns_doc = '''<root xmlns="http://default/ns" xmlns:x="http://x/ns">
  <child x:attr="1" plain="2">text</child>
  <x:other><inner xmlns="http://inner/ns"/></x:other>
</root>'''
r = ET.XML(ns_doc)
for el in r.iter():
    print(el.tag, sorted(el.attrib.items()))
print(ET.tostring(r, encoding='unicode'))
print(ET.tostring(ET.fromstring(b'<a>caf\xc3\xa9</a>'), encoding='unicode'))
print(ET.fromstring(b'<?xml version="1.0" encoding="iso-8859-1"?><a>caf\xe9</a>').text)
print(ET.fromstring('<a>\r\nline\rtwo</a>').text.split('\n'), repr(ET.fromstring('<a x="1\n2\t3"/>').get('x')))
print(ET.fromstringlist(['<a><b', '>x</b>', '</a>'])[0].text)
bad = ['<a><b></a>', '', '   ', '<a>', '<a></a><b/>', '<a x=1/>', '<a>&nosuch;</a>', 'text', '<a><b>\n</c></a>',
       '<a x="1" x="2"/>', '<a>&#xZZ;</a>', '<a><!-- c', '<a', '<a>\n\n  <b></a>', '<1a/>', '<a></a>junk',
       '<a b="<"/>', '<a>x</a >']
for text in bad:
    try:
        e = ET.fromstring(text)
        print('parsed', repr(text), e.tag)
    except ET.ParseError as err:
        print(repr(text), '->', err, err.position, err.code, isinstance(err, SyntaxError))
p = ET.XMLParser()
p.feed('<r><a>1</a>')
p.feed('<b>2</b></r>')
r = p.close()
print([(e.tag, e.text) for e in r])


class Target:
    def __init__(self):
        self.log = []

    def start(self, tag, attrib):
        self.log.append(('start', tag, sorted(attrib.items())))

    def end(self, tag):
        self.log.append(('end', tag))

    def data(self, data):
        if data.strip():
            self.log.append(('data', data))

    def close(self):
        return self.log


parser = ET.XMLParser(target=Target())
parser.feed('<a k="v"><b>hello</b><c/></a>')
print(parser.close())
tb = ET.TreeBuilder()
tb.start('root', {})
tb.data('x')
tb.start('kid', {'a': '1'})
tb.end('kid')
tb.data('tail')
tb.end('root')
r = tb.close()
print(ET.tostring(r))
