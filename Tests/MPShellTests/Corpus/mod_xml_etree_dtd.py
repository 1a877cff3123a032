# xml.etree.ElementTree and a DOCTYPE's internal subset: general entities expanded in content (markup included,
# nested, in order) and in attribute values, attribute-list defaults and normalised tokenized values, namespaces
# declared by a default, XMLParser.entity for what an external DTD may declare, events and targets as CPython's
import io
import xml.etree.ElementTree as ET


def show(doc, parser=None):
    try:
        root = ET.fromstring(doc, parser) if parser else ET.fromstring(doc)
        print(ET.tostring(root).decode(), [(e.tag, e.attrib) for e in root.iter()][1:4])
    except ET.ParseError as e:
        print('ParseError:', e, e.code, e.position)


show('<!DOCTYPE x [<!ENTITY e "text">]><x>&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "text">]><x a="&e;">a&e;b&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "<b>bold</b> and <i a=\'1\'>it</i>">]><x>[&e;]</x>')
show('<!DOCTYPE x [<!ENTITY e "&f;!"><!ENTITY f "inner">]><x>&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "t"><!ENTITY e2 "&e;&e;"><!ENTITY e4 "&e2;&e2;">]><x>&e4;</x>')
show('<!DOCTYPE x [<!ENTITY e "&#38;#60;">]><x a="&e;">&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "a&amp;b">]><x>&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "line1\nline2\ttab">]><x a="&e;">&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "a&#10;b">]><x a="&e;">&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "&#xD;&#13;">]><x>&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "a\r\nb">]><x>&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "t"> <!ENTITY e "u">]><x>&e;</x>')
show('<!DOCTYPE x [<!ENTITY lt "<"><!ENTITY amp "X">]><x>&lt;&amp;</x>')
show("<!DOCTYPE x [<!ENTITY e 'single \"q\"'>]><x a='&e;'>&e;</x>")
show('<!DOCTYPE x [<!ENTITY e "<b/>">]><x>&e;<c/>&e;</x>')
show('<!DOCTYPE x [<!ENTITY e "a<!--c-->b<?pi d?><![CDATA[<&>]]>">]><x>&e;</x>')
show('<!DOCTYPE r [<!ENTITY a "<p:b xmlns:p=\'u\'>&c;</p:b>"><!ENTITY c "C">]><r>&a;&a;</r>')
show('<!DOCTYPE x [<!ENTITY e "<p:b/>">]><x xmlns:p="urn:p">&e;</x>')
show('<!DOCTYPE x [ <!-- c --> <?p q?> <!ENTITY e "t"> ]><x>&e;</x>')
show('<!DOCTYPE x [<!ENTITY\te\n"t" >]>\n<x>&e;</x>')
show('<!DOCTYPE x[<!ENTITY e "t">]><x>&e;</x>')
show('<!DOCTYPE x PUBLIC "-//A//B" "x.dtd" [<!ENTITY e "t">]><x>&e;</x>')
show('<!DOCTYPE x [<!ENTITY % p "x"> <!ENTITY e "t">]><x>&e;</x>')
show('<!DOCTYPE x [<!NOTATION gif SYSTEM "image/gif"><!ENTITY img SYSTEM "i.gif" NDATA gif><!ATTLIST x i ENTITY #IMPLIED>]><x i="img"/>')
show('<!DOCTYPE x [<!ELEMENT x (y|z)*><!ELEMENT y EMPTY><!ELEMENT z ANY><!ELEMENT w (#PCDATA|y)*><!ELEMENT v (a,(b|c)+,d?)*>]><x><y/></x>')
# attribute lists
show('<!DOCTYPE x [<!ATTLIST x a CDATA "d" b NMTOKEN #IMPLIED c CDATA #FIXED "f" d (p|q) "q" e ID #REQUIRED>]><x b="  t  " e=" i  j "/>')
show('<!DOCTYPE x [<!ATTLIST x a CDATA "d"><!ATTLIST x a CDATA "other" g NMTOKENS " u   v ">]><x><x a="given"/></x>')
show('<!DOCTYPE x [<!ENTITY e "E"><!ATTLIST x a CDATA "1&e;2&#65;">]><x/>')
show('<!DOCTYPE x [<!ATTLIST x a CDATA "&#10;v  w" b NMTOKENS "&#10;v  w ">]><x/>')
show('<!DOCTYPE x [<!ATTLIST x xmlns CDATA "urn:d">]><x><y/></x>')
show('<!DOCTYPE x [<!ATTLIST x xmlns:p CDATA "urn:p">]><x><p:y/></x>')
show('<!DOCTYPE x [<!ATTLIST y a CDATA "d">]><x><y/><y a="1"/></x>')
show('<!DOCTYPE x [<!ATTLIST x a NOTATION (n|m) #IMPLIED b (1|2.5|-x) "1">]><x/>')
# after a parameter entity reference that is not read, declarations are not processed (unless standalone)
show('<!DOCTYPE x [<!ENTITY % p SYSTEM "p.dtd"> %p; <!ATTLIST x a CDATA "d">]><x/>')
show('<?xml version="1.0" standalone="yes"?><!DOCTYPE x [<!ENTITY % p SYSTEM "p"> %p; <!ENTITY e "t">]><x>&e;</x>')
# XMLParser.entity: for entities an external DTD may declare, and for external ones
for doc in ['<!DOCTYPE x SYSTEM "x.dtd"><x>&foo;</x>', '<!DOCTYPE x [<!ENTITY e SYSTEM "e">]><x>&e;&foo;</x>',
            '<!DOCTYPE x SYSTEM "x"><x a="&foo;b"/>', '<x>&foo;</x>']:
    p = ET.XMLParser()
    p.entity['foo'] = 'FOO'
    p.entity['e'] = 'E'
    show(doc, p)


# a target sees what the entities hold, in order; iterparse and the pull parser too
class Target:
    def start(self, tag, attrib):
        print('start', tag, attrib)

    def end(self, tag):
        print('end', tag)

    def data(self, d):
        print('data', repr(d))

    def comment(self, c):
        print('comment', repr(c))

    def pi(self, t, d):
        print('pi', t, repr(d))

    def close(self):
        return 'closed'


doc = '<!DOCTYPE x [<!ENTITY e "a<b c=\'1\'>t<!--k--><?p q?></b>z"><!ATTLIST b d CDATA "D">]><x>1&e;2</x>'
p = ET.XMLParser(target=Target())
p.feed(doc)
print(p.close())
for ev, el in ET.iterparse(io.StringIO('<!DOCTYPE x [<!ENTITY e "<b/><c>&f;</c>"><!ENTITY f "F">]><x>&e;</x>'),
                           events=('start', 'end')):
    print(ev, el.tag, el.text)
pull = ET.XMLPullParser(events=('start', 'end', 'comment'))
for piece in ['<!DOCTYPE x [<!EN', 'TITY e "<b>&#65;<!-- n --></b>">', ']><x>&', 'e;</x>']:
    pull.feed(piece)
    print([(ev, el.tag if isinstance(el.tag, str) else el.text) for ev, el in pull.read_events()])
pull.close()
# fed a character at a time
p = ET.XMLParser()
for ch in '<!DOCTYPE x [<!ENTITY e "<b>t</b>"><!ATTLIST b z CDATA "zz">]><x>&e;&e;</x>':
    p.feed(ch)
print(ET.tostring(p.close()))
