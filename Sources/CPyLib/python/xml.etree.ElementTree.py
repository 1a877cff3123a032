"""Lightweight XML support for Python: Element, SubElement, ElementTree, parsing and serialisation, as CPython's
xml.etree.ElementTree.

Our own implementation. The parser is written here in Python (CPython's uses expat): it checks what a document
needs to be well-formed for ElementTree (matching tags, quoted attributes, known entities, one root element) and
reports errors as expat does (`ParseError`, with `code` and `position`, "mismatched tag: line 1, column 8"); it
expands namespaces to `{uri}local` names, reads the DOCTYPE with expat's tokens and grammar (its internal subset's
general entities are expanded in content, markup included, and in attribute values; its attribute lists give
defaults and normalise tokenized values; an entity the DTD may declare outside the document goes to
`XMLParser.entity`, as ElementTree's expat handler does), and is incremental, so `XMLParser.feed`,
`XMLPullParser` and `iterparse` take the document in pieces. ElementPath (`find`, `findall`, `iterfind`,
`findtext`) takes tags, `*`, `.`, `..`, `//`, and the predicates `[@attr]`, `[@attr='v']`, `[@attr!='v']`,
`[tag]`, `[tag='text']`, `[.='text']`, `[n]`, `[last()]`, `[last()-n]`, with namespace prefixes.

What the language cannot do for it yet: only UTF-8, ASCII and Latin-1 documents are decoded; the XML declaration's
pseudo-attributes are not checked as expat checks them; no C14N (`canonicalize`). (Parameter entities and external
DTDs are not read, as CPython's ElementTree reads none.)
"""

import io

__all__ = [
    "Comment", "dump", "Element", "ElementTree", "fromstring", "fromstringlist", "indent", "iselement",
    "iterparse", "parse", "ParseError", "PI", "ProcessingInstruction", "QName", "SubElement", "tostring",
    "tostringlist", "TreeBuilder", "VERSION", "XML", "XMLID", "XMLParser", "XMLPullParser", "register_namespace",
]

VERSION = "1.3.0"


class ParseError(SyntaxError):
    """A document that is not well-formed: `code` is expat's error number, `position` (line, column)."""
    pass


def iselement(element):
    """Return True if *element* appears to be an Element."""
    return hasattr(element, "tag")


class Element:
    """An XML element: a tag, a dict of attributes, text, a tail and a list of children."""

    tag = None
    attrib = None
    text = None
    tail = None

    def __init__(self, tag, attrib={}, **extra):
        if not isinstance(attrib, dict):
            raise TypeError("Element() argument 2 must be dict, not %s" % (attrib.__class__.__name__,))
        self.tag = tag
        self.attrib = {**attrib, **extra}
        self._children = []

    def __repr__(self):
        # id() is an address in CPython; mpsh's may be negative, shown as the unsigned 64-bit number
        return "<%s %r at %#x>" % (self.__class__.__name__, self.tag, id(self) % (1 << 64))

    def makeelement(self, tag, attrib):
        return self.__class__(tag, attrib)

    def __copy__(self):
        elem = self.makeelement(self.tag, self.attrib)
        elem.text = self.text
        elem.tail = self.tail
        elem[:] = self
        return elem

    def __deepcopy__(self, memo):
        elem = self.makeelement(self.tag, dict(self.attrib))
        elem.text = self.text
        elem.tail = self.tail
        for child in self._children:
            elem._children.append(child.__deepcopy__(memo))
        return elem

    def __len__(self):
        return len(self._children)

    def __bool__(self):
        return len(self._children) != 0

    def __getitem__(self, index):
        return self._children[index]

    def __setitem__(self, index, element):
        if isinstance(index, slice):
            elements = list(element)
            for e in elements:
                self._assert_is_element(e)
            self._children[index] = elements
        else:
            self._assert_is_element(element)
            self._children[index] = element

    def __delitem__(self, index):
        del self._children[index]

    def __iter__(self):
        return iter(self._children)

    def append(self, subelement):
        if not isinstance(subelement, Element):
            raise TypeError("append() argument must be xml.etree.ElementTree.Element, not %s"
                            % type(subelement).__name__)
        self._children.append(subelement)

    def extend(self, elements):
        for element in elements:
            self._assert_is_element(element)
            self._children.append(element)

    def insert(self, index, subelement):
        if not isinstance(subelement, Element):
            raise TypeError("insert() argument 2 must be xml.etree.ElementTree.Element, not %s"
                            % type(subelement).__name__)
        self._children.insert(index, subelement)

    def _assert_is_element(self, e):
        if not isinstance(e, Element):
            raise TypeError("expected an Element, not %s" % type(e).__name__)

    def remove(self, subelement):
        for i, child in enumerate(self._children):
            if child is subelement or child == subelement:
                del self._children[i]
                return
        raise ValueError("list.remove(x): x not in list")

    def find(self, path, namespaces=None):
        for e in _iterfind(self, path, namespaces):
            return e
        return None

    def findtext(self, path, default=None, namespaces=None):
        for e in _iterfind(self, path, namespaces):
            return e.text or ""
        return default

    def findall(self, path, namespaces=None):
        return list(_iterfind(self, path, namespaces))

    def iterfind(self, path, namespaces=None):
        return _iterfind(self, path, namespaces)

    def clear(self):
        self.attrib.clear()
        self._children = []
        self.text = self.tail = None

    def get(self, key, default=None):
        return self.attrib.get(key, default)

    def set(self, key, value):
        self.attrib[key] = value

    def keys(self):
        return self.attrib.keys()

    def items(self):
        return self.attrib.items()

    def iter(self, tag=None):
        if tag == "*":
            tag = None
        if tag is None or self.tag == tag:
            yield self
        for e in self._children:
            yield from e.iter(tag)

    def itertext(self):
        # as CPython's C implementation: comments and processing instructions give their text too
        t = self.text
        if t:
            yield t
        for e in self._children:
            yield from e.itertext()
            t = e.tail
            if t:
                yield t


def SubElement(parent, tag, attrib={}, **extra):
    """A new element with tag and attributes, appended to parent's children."""
    if not isinstance(attrib, dict):
        raise TypeError("SubElement() argument 3 must be dict, not %s" % (attrib.__class__.__name__,))
    if parent.__class__ is Element:
        # the common case without the calls of makeelement and append
        element = _object_new(Element)
        element.tag = tag
        element.attrib = {**attrib, **extra}
        element._children = []
        parent._children.append(element)
        return element
    element = parent.makeelement(tag, {**attrib, **extra})
    parent.append(element)
    return element


def Comment(text=None):
    """A comment element (serialised as <!--text-->)."""
    element = Element(Comment)
    element.text = text
    return element


def ProcessingInstruction(target, text=None):
    """A processing-instruction element (serialised as <?target text?>)."""
    element = Element(ProcessingInstruction)
    element.text = target
    if text:
        element.text = element.text + " " + text
    return element


PI = ProcessingInstruction


class QName:
    """A qualified name, '{uri}local' (or uri and local apart)."""

    def __init__(self, text_or_uri, tag=None):
        if tag:
            text_or_uri = "{%s}%s" % (text_or_uri, tag)
        self.text = text_or_uri

    def __str__(self):
        return self.text

    def __repr__(self):
        return "<%s %r>" % (self.__class__.__name__, self.text)

    def __hash__(self):
        return hash(self.text)

    def _key(self, other):
        return other.text if isinstance(other, QName) else other

    def __le__(self, other):
        return self.text <= self._key(other)

    def __lt__(self, other):
        return self.text < self._key(other)

    def __ge__(self, other):
        return self.text >= self._key(other)

    def __gt__(self, other):
        return self.text > self._key(other)

    def __eq__(self, other):
        return self.text == self._key(other)


# -- ElementPath ---------------------------------------------------------------------------------------------------

_path_cache = {}


def _split_path(path):
    """The path's steps: (descendant, test, predicates) with test a tag, '*', '.' or '..'."""
    steps = []
    i = 0
    n = len(path)
    descendant = False
    if path[:1] == "/":
        raise SyntaxError("cannot use absolute path on element")
    while i < n:
        # a step runs to the next '/' outside brackets and quotes
        j = i
        depth = 0
        quote = None
        while j < n:
            ch = path[j]
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
            elif ch == "{" and depth == 0:
                k = path.find("}", j)
                if k < 0:
                    raise SyntaxError("invalid path")
                j = k
            elif ch == "/" and depth == 0:
                break
            j += 1
        step = path[i:j].strip()
        if not step:
            if j >= n:
                raise SyntaxError("invalid path")
            if descendant:
                raise SyntaxError("invalid descendant")
            descendant = True
            i = j + 1
            continue
        b = step.find("[")
        if step.startswith("{"):
            b = step.find("[", step.find("}"))
        if b >= 0:
            test = step[:b].strip()
            preds = []
            rest = step[b:]
            while rest:
                if not rest.startswith("["):
                    raise SyntaxError("invalid predicate")
                k = _close_bracket(rest)
                preds.append(rest[1:k].strip())
                rest = rest[k + 1:].strip()
        else:
            test = step
            preds = []
        if not test:
            if not preds:
                raise SyntaxError("invalid path")
            test = "*" if descendant else "."
            if not descendant:
                # "[pred]" alone filters the current element... as a step of its own
                pass
        steps.append((descendant, test, preds))
        descendant = False
        i = j + 1
        if j == n - 1:
            raise SyntaxError("invalid path")
    if descendant:
        raise SyntaxError("invalid path")
    return steps


def _close_bracket(s):
    quote = None
    for k, ch in enumerate(s):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "]":
            return k
    raise SyntaxError("invalid predicate")


def _expand(name, namespaces):
    if name[:1] == "{" or ":" not in name or namespaces is None:
        if name[:1] != "{" and ":" not in name and namespaces and namespaces.get("") and name not in ("*", ".", ".."):
            return "{%s}%s" % (namespaces[""], name)
        return name
    prefix, local = name.split(":", 1)
    try:
        return "{%s}%s" % (namespaces[prefix], local)
    except KeyError:
        raise SyntaxError("prefix %r not found in prefix map" % prefix) from None


def _tag_matches(tag, test):
    if test == "*":
        return isinstance(tag, str) or tag is None
    if test == "{*}*":
        return isinstance(tag, str)
    if test.startswith("{*}"):
        local = test[3:]
        return isinstance(tag, str) and (tag == local or tag.endswith("}" + local))
    if test.endswith("}*"):
        return isinstance(tag, str) and tag.startswith(test[:-1])
    return tag == test


def _unquote(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    raise SyntaxError("invalid predicate")


def _iterfind(elem, path, namespaces=None):
    key = (path, tuple(sorted(namespaces.items())) if namespaces else None)
    steps = _path_cache.get(key)
    if steps is None:
        if path[-1:] == "/":
            path = path + "*"
        steps = []
        for desc, test, preds in _split_path(path):
            steps.append((desc, _expand(test, namespaces) if test not in (".", "..") else test,
                          [_compile_pred(p, namespaces) for p in preds]))
        if len(_path_cache) > 100:
            _path_cache.clear()
        _path_cache[key] = steps
    result = [elem]
    parents = None
    for desc, test, preds in steps:
        out = []
        if test == "..":
            if parents is None:
                parents = {}
                for p in elem.iter():
                    for c in p:
                        parents[c] = p
            seen = set()
            for e in result:
                p = parents.get(e)
                if p is not None and id(p) not in seen:
                    seen.add(id(p))
                    out.append(p)
        elif test == ".":
            if desc:
                for e in result:
                    for x in e.iter():
                        if x is not e:
                            out.append(x)
            else:
                out = result
        elif desc:
            seen = set()
            for e in result:
                for x in e.iter():
                    if x is not e and _tag_matches(x.tag, test) and id(x) not in seen:
                        seen.add(id(x))
                        out.append(x)
        elif test == "*":
            for e in result:
                out.extend(e._children if hasattr(e, "_children") else list(e))
        else:
            for e in result:
                for x in e:
                    if x.tag == test or _tag_matches(x.tag, test):
                        out.append(x)
        for pred in preds:
            out = pred(out, parents_of=lambda: _parent_map(elem))
        result = out
        if not result:
            break
    return iter(result)


def _parent_map(root):
    parents = {}
    for p in root.iter():
        for c in p:
            parents[c] = p
    return parents


def _compile_pred(pred, namespaces):
    if pred.startswith("@"):
        body = pred[1:]
        for op in ("!=", "="):
            k = body.find(op)
            if k >= 0:
                name = body[:k].strip()
                value = _unquote(body[k + len(op):])
                if op == "!=":
                    return lambda es, parents_of=None: [e for e in es
                                                        if e.get(name) is not None and e.get(name) != value]
                return lambda es, parents_of=None: [e for e in es if e.get(name) == value]
        name = body.strip()
        return lambda es, parents_of=None: [e for e in es if e.get(name) is not None]
    if pred.isdigit():
        index = int(pred) - 1
        if index < 0:
            raise SyntaxError("XPath position >= 1 expected")
        return _position_pred(lambda n: index)
    if pred.startswith("last()"):
        rest = pred[6:].strip()
        off = 0
        if rest:
            if not rest.startswith("-"):
                raise SyntaxError("unsupported expression")
            off = int(rest[1:].strip())
        return _position_pred(lambda n: n - 1 - off)
    for op in ("!=", "="):
        k = pred.find(op)
        if k >= 0:
            name = pred[:k].strip()
            value = _unquote(pred[k + len(op):])
            neg = op == "!="
            if name == ".":
                return lambda es, parents_of=None: [e for e in es if ("".join(e.itertext()) == value) != neg]
            tag = _expand(name, namespaces)

            def text_pred(es, parents_of=None):
                out = []
                for e in es:
                    for c in e:
                        if _tag_matches(c.tag, tag) and ("".join(c.itertext()) == value) != neg:
                            out.append(e)
                            break
                return out
            return text_pred
    if pred and (pred[0].isalpha() or pred[0] in "{_*"):
        tag = _expand(pred, namespaces)
        return lambda es, parents_of=None: [e for e in es if any(_tag_matches(c.tag, tag) for c in e)]
    raise SyntaxError("invalid predicate")


def _position_pred(pick):
    def pred(es, parents_of=None):
        parents = parents_of()
        out = []
        for e in es:
            p = parents.get(e)
            if p is None:
                continue
            same = [c for c in p if c.tag == e.tag]
            k = pick(len(same))
            if 0 <= k < len(same) and same[k] is e:
                out.append(e)
        return out
    return pred


# -- ElementTree -----------------------------------------------------------------------------------------------

class ElementTree:
    """An element hierarchy (a root element), read from or written to a file."""

    def __init__(self, element=None, file=None):
        self._root = element
        if file:
            self.parse(file)

    def getroot(self):
        return self._root

    def _setroot(self, element):
        self._root = element

    def parse(self, source, parser=None):
        close_source = False
        if not hasattr(source, "read"):
            source = open(source, "rb")
            close_source = True
        try:
            if parser is None:
                parser = XMLParser()
            while True:
                data = source.read(65536)
                if not data:
                    break
                parser.feed(data)
            self._root = parser.close()
            return self._root
        finally:
            if close_source:
                source.close()

    def iter(self, tag=None):
        return self._root.iter(tag)

    def find(self, path, namespaces=None):
        if path[:1] == "/":
            path = "." + path
        return self._root.find(path, namespaces)

    def findtext(self, path, default=None, namespaces=None):
        if path[:1] == "/":
            path = "." + path
        return self._root.findtext(path, default, namespaces)

    def findall(self, path, namespaces=None):
        if path[:1] == "/":
            path = "." + path
        return self._root.findall(path, namespaces)

    def iterfind(self, path, namespaces=None):
        if path[:1] == "/":
            path = "." + path
        return self._root.iterfind(path, namespaces)

    def write(self, file_or_filename, encoding=None, xml_declaration=None, default_namespace=None, method=None, *,
              short_empty_elements=True):
        if not method:
            method = "xml"
        elif method not in ("text", "xml", "html"):
            raise ValueError("unknown method %r" % method)
        if not encoding:
            encoding = "us-ascii"
        text = _serialize(self._root, method, default_namespace, short_empty_elements)
        enc = encoding.lower()
        if method == "xml" and (xml_declaration or (xml_declaration is None and xml_declaration is not False
                                                    and enc not in ("utf-8", "us-ascii", "unicode"))):
            declared = "UTF-8" if enc == "unicode" else encoding
            text = "<?xml version='1.0' encoding='%s'?>\n" % (declared,) + text
        if enc == "unicode":
            if hasattr(file_or_filename, "write"):
                file_or_filename.write(text)
            else:
                with open(file_or_filename, "w") as f:
                    f.write(text)
            return
        data = _encode(text, enc)
        if hasattr(file_or_filename, "write"):
            f = file_or_filename
            if isinstance(f, io.StringIO) or (hasattr(f, "mode") and "b" not in f.mode):
                f.write(data.decode(_codec(enc)))
            else:
                f.write(data)
        else:
            with open(file_or_filename, "wb") as f:
                f.write(data)

    write_c14n = None


def _codec(enc):
    if enc in ("us-ascii", "ascii"):
        return "ascii"
    return enc


def _encode(text, enc):
    if enc in ("us-ascii", "ascii", "latin-1", "latin1", "iso-8859-1"):
        limit = 128 if "ascii" in enc else 256
        if not all(ord(ch) < limit for ch in text) if not text.isascii() else False:
            text = "".join(ch if ord(ch) < limit else "&#%d;" % ord(ch) for ch in text)
        return text.encode("ascii" if limit == 128 else "latin-1")
    return text.encode(enc)


# -- serialisation ---------------------------------------------------------------------------------------------

_namespace_map = {
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://www.w3.org/1999/xhtml": "html",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://schemas.xmlsoap.org/wsdl/": "wsdl",
    "http://www.w3.org/2001/XMLSchema": "xs",
    "http://www.w3.org/2001/XMLSchema-instance": "xsi",
    "http://purl.org/dc/elements/1.1/": "dc",
}


def register_namespace(prefix, uri):
    """Registers a prefix for uri, used when serialising."""
    if prefix[:2] == "ns" and prefix[2:].isdigit():
        raise ValueError("Prefix format reserved for internal use")
    for k, v in list(_namespace_map.items()):
        if k == uri or v == prefix:
            del _namespace_map[k]
    _namespace_map[uri] = prefix


def _escape_cdata(text):
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _escape_attrib(text):
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _escape_attrib_html(text):
    if "&" in text:
        text = text.replace("&", "&amp;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def _raise_serialization_error(text):
    raise TypeError("cannot serialize %r (type %s)" % (text, type(text).__name__))


def _namespaces(elem, default_namespace=None):
    """The qualified names of every tag and attribute under elem, and the namespace declarations to write."""
    qnames = {None: None}
    namespaces = {}
    if default_namespace:
        namespaces[default_namespace] = ""

    def add_qname(qname):
        try:
            if qname[:1] == "{":
                uri, tag = qname[1:].rsplit("}", 1)
                prefix = namespaces.get(uri)
                if prefix is None:
                    prefix = _namespace_map.get(uri)
                    if prefix is None:
                        prefix = "ns%d" % len(namespaces)
                    if prefix != "xml":
                        namespaces[uri] = prefix
                if prefix:
                    qnames[qname] = "%s:%s" % (prefix, tag)
                else:
                    qnames[qname] = tag
            else:
                if default_namespace:
                    raise ValueError("cannot use non-qualified names with default_namespace option")
                qnames[qname] = qname
        except TypeError:
            _raise_serialization_error(qname)

    for e in elem.iter():
        tag = e.tag
        if type(tag) is str:
            if tag not in qnames:
                add_qname(tag)
        elif isinstance(tag, QName):
            if tag.text not in qnames:
                add_qname(tag.text)
        elif isinstance(tag, str):
            if tag not in qnames:
                add_qname(tag)
        elif tag is not None and tag is not Comment and tag is not PI:
            _raise_serialization_error(tag)
        if e.attrib:
            for key, value in e.attrib.items():
                if isinstance(key, QName):
                    key = key.text
                if key not in qnames:
                    add_qname(key)
                if isinstance(value, QName) and value.text not in qnames:
                    add_qname(value.text)
        text = e.text
        if text is not None and type(text) is not str and isinstance(text, QName) and text.text not in qnames:
            add_qname(text.text)
    return qnames, namespaces


def _serialize(elem, method, default_namespace, short_empty_elements):
    out = []
    write = out.append
    if method == "text":
        for t in elem.itertext():
            write(t)
        return "".join(out)
    qnames, namespaces = _namespaces(elem, default_namespace)
    if method == "html":
        _serialize_html(write, elem, qnames, namespaces)
    else:
        _serialize_xml(write, elem, qnames, namespaces, short_empty_elements)
    return "".join(out)


def _serialize_xml(write, elem, qnames, namespaces, short_empty_elements):
    tag = elem.tag
    text = elem.text
    if tag is Comment:
        write("<!--%s-->" % text)
    elif tag is ProcessingInstruction:
        write("<?%s?>" % text)
    else:
        tag = qnames[tag if type(tag) is str else tag.text if isinstance(tag, QName) else tag]
        if tag is None:
            if text:
                write(_escape_cdata(text))
            for e in elem:
                _serialize_xml(write, e, qnames, None, short_empty_elements)
        else:
            write("<" + tag)
            attrib = elem.attrib
            if attrib or namespaces:
                if namespaces:
                    for v, k in sorted(namespaces.items(), key=lambda x: x[1]):
                        if k:
                            k = ":" + k
                        write(' xmlns%s="%s"' % (k, _escape_attrib(v)))
                for k, v in attrib.items():
                    if type(k) is not str and isinstance(k, QName):
                        k = k.text
                    if type(v) is str:
                        v = _escape_attrib(v)
                    elif isinstance(v, QName):
                        v = qnames[v.text]
                    elif isinstance(v, str):
                        v = _escape_attrib(v)
                    else:
                        _raise_serialization_error(v)
                    write(' %s="%s"' % (qnames[k], v))
            if text or elem._children or not short_empty_elements:
                write(">")
                if text:
                    if type(text) is not str and not isinstance(text, str):
                        if isinstance(text, QName):
                            text = qnames[text.text]
                        else:
                            _raise_serialization_error(text)
                    write(_escape_cdata(text))
                for e in elem._children:
                    _serialize_xml(write, e, qnames, None, short_empty_elements)
                write("</" + tag + ">")
            else:
                write(" />")
    tail = elem.tail
    if tail:
        write(_escape_cdata(tail))


_HTML_EMPTY = {"area", "base", "basefont", "br", "col", "embed", "frame", "hr", "img", "input", "isindex", "link",
               "meta", "param", "source", "track", "wbr"}


def _serialize_html(write, elem, qnames, namespaces):
    tag = elem.tag
    text = elem.text
    if tag is Comment:
        write("<!--%s-->" % _escape_cdata(text))
    elif tag is ProcessingInstruction:
        write("<?%s?>" % _escape_cdata(text))
    else:
        tag = qnames[tag.text if isinstance(tag, QName) else tag]
        if tag is None:
            if text:
                write(_escape_cdata(text))
            for e in elem:
                _serialize_html(write, e, qnames, None)
        else:
            write("<" + tag)
            attrib = elem.attrib
            if attrib or namespaces:
                if namespaces:
                    for v, k in sorted(namespaces.items(), key=lambda x: x[1]):
                        if k:
                            k = ":" + k
                        write(' xmlns%s="%s"' % (k, _escape_attrib(v)))
                for k, v in attrib.items():
                    if isinstance(k, QName):
                        k = k.text
                    if isinstance(v, QName):
                        v = qnames[v.text]
                    else:
                        v = _escape_attrib_html(v)
                    write(' %s="%s"' % (qnames[k], v))
            write(">")
            ltag = tag.lower()
            if text:
                if ltag == "script" or ltag == "style":
                    write(text)
                else:
                    write(_escape_cdata(text))
            for e in elem:
                _serialize_html(write, e, qnames, None)
            if ltag not in _HTML_EMPTY:
                write("</" + tag + ">")
    if elem.tail:
        write(_escape_cdata(elem.tail))


def tostring(element, encoding=None, method=None, *, xml_declaration=None, default_namespace=None,
             short_empty_elements=True):
    """The element and its subtree as XML: bytes (us-ascii by default), or str for encoding='unicode'."""
    if not method:
        method = "xml"
    elif method not in ("text", "xml", "html"):
        raise ValueError("unknown method %r" % method)
    text = _serialize(element, method, default_namespace, short_empty_elements)
    enc = (encoding or "us-ascii").lower()
    if method == "xml" and (xml_declaration or (xml_declaration is None and encoding is not None
                                                and enc not in ("utf-8", "us-ascii", "unicode"))):
        declared = "UTF-8" if enc == "unicode" else encoding
        text = "<?xml version='1.0' encoding='%s'?>\n" % (declared,) + text
    if enc == "unicode":
        return text
    return _encode(text, enc)


def tostringlist(element, encoding=None, method=None, *, xml_declaration=None, default_namespace=None,
                 short_empty_elements=True):
    return [tostring(element, encoding, method, xml_declaration=xml_declaration,
                     default_namespace=default_namespace, short_empty_elements=short_empty_elements)]


def dump(elem):
    """Writes elem (or a tree's root) to sys.stdout, for debugging."""
    import sys
    if not isinstance(elem, ElementTree):
        elem = ElementTree(elem)
    text = tostring(elem.getroot(), encoding="unicode")
    sys.stdout.write(text)
    tail = elem.getroot().tail
    if not tail or tail[-1] != "\n":
        sys.stdout.write("\n")


def indent(tree, space="  ", level=0):
    """Indents the tree in place: each child on a line of its own, `space` per level."""
    if isinstance(tree, ElementTree):
        tree = tree.getroot()
    if level < 0:
        raise ValueError("Initial indentation level must be >= 0, got %s" % (level,))
    if not len(tree):
        return
    indentations = ["\n" + level * space]

    def _indent_children(elem, level):
        child_indentation = level + 1
        if len(indentations) <= child_indentation:
            indentations.append(indentations[level] + space)
        if not elem.text or not elem.text.strip():
            elem.text = indentations[child_indentation]
        for child in elem:
            if len(child):
                _indent_children(child, child_indentation)
            if not child.tail or not child.tail.strip():
                child.tail = indentations[child_indentation]
        if not child.tail.strip():
            child.tail = indentations[level]

    _indent_children(tree, 0)


# -- parsing -----------------------------------------------------------------------------------------------------

class TreeBuilder:
    """Builds an element tree from start, data and end calls (the parser's default target)."""

    def __init__(self, element_factory=None, *, comment_factory=None, pi_factory=None, insert_comments=False,
                 insert_pis=False):
        self._data = []
        self._elem = []
        self._last = None
        self._root = None
        self._tail = None
        if comment_factory is None:
            comment_factory = Comment
        self._comment_factory = comment_factory
        self.insert_comments = insert_comments
        if pi_factory is None:
            pi_factory = ProcessingInstruction
        self._pi_factory = pi_factory
        self.insert_pis = insert_pis
        self._factory = element_factory if element_factory is not None else Element

    def close(self):
        if len(self._elem) != 0:
            raise AssertionError("missing end tags")
        if self._root is None:
            raise AssertionError("missing toplevel element")
        return self._root

    def _flush(self):
        if self._data:
            if self._last is not None:
                data = self._data
                text = data[0] if len(data) == 1 else "".join(data)
                if self._tail:
                    self._last.tail = text
                else:
                    self._last.text = text
            self._data = []

    def data(self, data):
        self._data.append(data)

    def start(self, tag, attrs):
        if self._data:
            self._flush()
        if self._factory is Element:
            # the parser's own attribute dict, not copied; the children list filled directly
            elem = _object_new(Element)
            elem.tag = tag
            elem.attrib = attrs
            elem._children = []
            self._last = elem
            if self._elem:
                self._elem[-1]._children.append(elem)
            elif self._root is None:
                self._root = elem
            self._elem.append(elem)
            self._tail = 0
            return elem
        self._last = elem = self._factory(tag, attrs)
        if self._elem:
            self._elem[-1].append(elem)
        elif self._root is None:
            self._root = elem
        self._elem.append(elem)
        self._tail = 0
        return elem

    def end(self, tag):
        if self._data:
            self._flush()
        self._last = self._elem.pop()
        self._tail = 1
        return self._last

    def comment(self, text):
        return self._handle_single(self._comment_factory, self.insert_comments, text)

    def pi(self, target, text=None):
        return self._handle_single(self._pi_factory, self.insert_pis, target, text)

    def _handle_single(self, factory, insert, *args):
        elem = factory(*args)
        if insert:
            self._flush()
            self._last = elem
            if self._elem:
                self._elem[-1].append(elem)
            self._tail = 1
        return elem


_object_new = object.__new__

# on the stack of open elements while an entity's text is parsed (a name no end tag has)
_ENTITY_MARK = (None, None, None, None)

_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _is_name_start(ch):
    return ch.isalpha() or ch == "_" or ch == ":" or ord(ch) > 127


def _is_name_char(ch):
    return ch.isalnum() or ch in "_:.-" or ord(ch) > 127


def _qname_end(s, k):
    """The index past the name at s[k] read as expat's namespace mode reads one, a colon once between two names:
    k itself when no name starts there; -1 - j when the character at j breaks it (a misplaced colon)."""
    n = len(s)
    if k >= n or s[k] == ":" or not _is_name_start(s[k]):
        return k
    colon = False
    k += 1
    while k < n and _is_name_char(s[k]):
        if s[k] == ":":
            if colon:
                return -1 - k
            if k + 1 < n and (s[k + 1] == ":" or not _is_name_start(s[k + 1])):
                return -2 - k
            colon = True
        k += 1
    return k


def _is_qname(name):
    """Whether a name with a colon is a qualified name (prefix:local), as expat's namespace mode wants."""
    k = name.find(":")
    return 0 < k < len(name) - 1 and name.count(":") == 1 and name[k + 1] not in "-.0123456789"


class _Error(Exception):
    def __init__(self, message, code, pos):
        self.message = message
        self.code = code
        self.pos = pos


class XMLParser:
    """An XML parser that calls target's start, end, data, comment, pi and close (a TreeBuilder by default)."""

    def __init__(self, *, target=None, encoding=None):
        if target is None:
            target = TreeBuilder()
        self.target = target
        self._encoding = encoding
        self.version = "Expat 2.5.0"
        self.entity = {}           # what ElementTree's expat handler looks up for an entity the DTD leaves open
        self._entities = {}        # the DTD's general entities: name -> (kind, replacement text)
        self._attdefs = {}         # the DTD's attribute lists: element name -> [(name, tokenized, default)]
        self._pe_refs = False      # an external DTD subset or a parameter entity reference: entities may be unknown
        self._standalone = False
        self._doctype_seen = False
        self._entity_at = None     # while an entity's text is parsed: where it is referenced (for errors)
        self._open_entities = ()   # the entities whose text is being parsed
        self._entity_doc = None
        self._buf = ""
        self._raw = b""
        self._decoding = None
        self._consumed_lines = 0   # lines before self._buf
        self._consumed_col = 0     # the column where self._buf starts, on its first line
        self._stack = []
        self._ns_stack = []
        self._ns = {"xml": "http://www.w3.org/XML/1998/namespace"}
        self._seen_root = False
        self._done_root = False
        self._closed = False
        self._events = None        # a list, when a pull parser collects events
        self._event_kinds = ()
        self._start = getattr(target, "start", None)
        self._end = getattr(target, "end", None)
        self._data = getattr(target, "data", None)
        self._comment = getattr(target, "comment", None)
        self._pi = getattr(target, "pi", None)
        self._start_ns = getattr(target, "start_ns", None)
        self._end_ns = getattr(target, "end_ns", None)
        self._started = False

    def feed(self, data):
        if self._closed:
            raise ParseError("parser is closed")
        if isinstance(data, (bytes, bytearray)):
            data = self._decode(bytes(data), False)
        elif not isinstance(data, str):
            raise TypeError("a bytes-like object is required, not '%s'" % type(data).__name__)
        if data:
            self._buf += data
            self._parse(False)

    def close(self):
        if self._raw:
            self._buf += self._decode(b"", True)
        self._parse(True)
        self._closed = True
        close = getattr(self.target, "close", None)
        if close is not None:
            return close()
        return None

    def flush(self):
        pass

    def _decode(self, data, final):
        if self._decoding is None:
            raw = self._raw + data
            if len(raw) < 100 and not final and b"?>" not in raw and raw[:2] == b"<?":
                self._raw = raw
                return ""
            enc = self._encoding
            if enc is None:
                enc = "utf-8"
                if raw[:5] == b"<?xml":
                    end = raw.find(b"?>")
                    decl = raw[:end if end >= 0 else len(raw)].decode("latin-1")
                    k = decl.find("encoding")
                    if k >= 0:
                        rest = decl[k + 8:].lstrip().lstrip("=").lstrip()
                        if rest[:1] in ("'", '"'):
                            q = rest[0]
                            enc = rest[1:rest.find(q, 1)]
            if raw[:3] == b"\xef\xbb\xbf":
                raw = raw[3:]
            e = enc.lower().replace("_", "-")
            if e in ("us-ascii", "ascii"):
                e = "ascii"
            elif e in ("iso-8859-1", "latin-1", "latin1"):
                e = "latin-1"
            elif e in ("utf8",):
                e = "utf-8"
            self._decoding = e
            self._raw = b""
            data = raw
        else:
            data = self._raw + data
            self._raw = b""
        if self._decoding == "utf-8" and not final:
            # keep an incomplete multi-byte sequence for the next piece
            k = len(data)
            back = 0
            while back < 3 and k - back - 1 >= 0 and data[k - back - 1] & 0xC0 == 0x80:
                back += 1
            if k - back - 1 >= 0 and data[k - back - 1] >= 0xC0:
                lead = data[k - back - 1]
                need = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
                if back + 1 < need:
                    self._raw = data[k - back - 1:]
                    data = data[:k - back - 1]
        try:
            return data.decode(self._decoding)
        except UnicodeDecodeError:
            raise ParseError("not well-formed (invalid token): line 1, column 0")
        except LookupError:
            raise ParseError("unknown encoding: line 1, column 30")

    # positions for messages: (line, column) of index i of the buffer
    def _position(self, i):
        buf = self._buf
        nl = buf.count("\n", 0, i)
        if nl:
            col = i - buf.rfind("\n", 0, i) - 1
        else:
            col = self._consumed_col + i
        return self._consumed_lines + nl + 1, col

    def _error(self, message, code, i):
        if self._entity_at is not None:
            i = self._entity_at   # expat reports an error in an entity's text where the entity is referenced
            if self._entity_doc is not None:
                self._buf, self._consumed_lines, self._consumed_col = self._entity_doc[:3]
        line, col = self._position(i)
        err = ParseError("%s: line %d, column %d" % (message, line, col))
        err.code = code
        err.position = (line, col)
        raise err

    def _consume(self, i):
        """Drops the first i characters of the buffer, keeping the line count."""
        if i == 0:
            return
        buf = self._buf
        nl = buf.count("\n", 0, i)
        if nl:
            self._consumed_lines += nl
            self._consumed_col = i - buf.rfind("\n", 0, i) - 1
        else:
            self._consumed_col += i
        self._buf = buf[i:]

    def _ref(self, s, a, base, at_end=None):
        """The reference at s[a] ('&'): (what follows the '&' up to ';', the index past the ';'). A malformed one
        is expat's invalid token at the character that breaks it (index base + k in the buffer; a reference cut
        off by the end of s is reported at `at_end` when given)."""
        b = s.find(";", a + 2)
        if b > 0:
            # the usual ones at once: a name made of identifier characters, a decimal character reference
            ref = s[a + 1:b]
            if ref.isidentifier() or (ref[0] == "#" and ref[1:].isdigit() and ref.isascii()):
                return ref, b + 1
        n = len(s)
        k = a + 1
        if k < n and s[k] == "#":
            k += 1
            hexa = k < n and s[k] == "x"
            if hexa:
                k += 1
            first = k
            digits = "0123456789abcdefABCDEF" if hexa else "0123456789"
            while k < n and s[k] in digits:
                k += 1
            if k == n and at_end is not None:
                self._error("not well-formed (invalid token)", 4, at_end)
            if k == n or s[k] != ";" or k == first:
                self._error("not well-formed (invalid token)", 4, base + k)
            return s[a + 1:k], k + 1
        if k == n and at_end is not None:
            self._error("not well-formed (invalid token)", 4, at_end)
        if k == n or not _is_name_start(s[k]):
            self._error("not well-formed (invalid token)", 4, base + k)
        k += 1
        while k < n and _is_name_char(s[k]):
            k += 1
        if k == n and at_end is not None:
            self._error("not well-formed (invalid token)", 4, at_end)
        if k == n or s[k] != ";":
            self._error("not well-formed (invalid token)", 4, base + k)
        return s[a + 1:k], k + 1

    def _char_ref(self, ref, at):
        """The character of a character reference ('#65' or '#x41', at buffer index at)."""
        cp = int(ref[2:], 16) if ref[1:2] == "x" else int(ref[1:])
        if cp == 0 or 0xD800 <= cp <= 0xDFFF or cp > 0x10FFFF or cp in (0xFFFE, 0xFFFF) or \
                (cp < 32 and cp not in (9, 10, 13)):
            self._error("reference to invalid character number", 14, at)
        return chr(cp)

    def _char_data(self, s, base):
        """Character data s (at buffer index base) to the target: line ends normalised, references expanded, the
        text of an entity that holds markup or references parsed as content where it is referenced."""
        if "]]>" in s:
            self._error("not well-formed (invalid token)", 4, base + s.find("]]>") + 2)
        if "\r" in s:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
        data = self._data
        out = []
        pos = 0
        while True:
            a = s.find("&", pos)
            if a < 0:
                out.append(s[pos:])
                break
            out.append(s[pos:a])
            ref, pos = self._ref(s, a, base)
            at = base + a
            if ref[0] == "#":
                out.append(self._char_ref(ref, at))
                continue
            v = _ENTITIES.get(ref)
            if v is None:
                v = self._content_entity(ref, at)
                if "<" in v or "&" in v or "]]>" in v:
                    # markup or references: parsed as content, after the text before it
                    text = "".join(out)
                    if text and data is not None:
                        data(text)
                    out = []
                    self._entity_content(ref, v, at)
                    continue
            out.append(v)
        text = "".join(out)
        if text and data is not None:
            data(text)

    def _content_entity(self, name, at):
        """The replacement text of a reference to general entity `name` in content (at buffer index at), as expat
        resolves it (for one the DTD leaves open, the text ElementTree's handler gives)."""
        e = self._entities.get(name)
        if e is None:
            if not self._pe_refs or self._standalone:
                self._error("undefined entity", 11, at)
            return self._open_entity(name, at)
        kind, value = e
        if kind == "unparsed":
            self._error("reference to binary entity", 15, at)
        if kind == "external":
            return self._open_entity(name, at)
        if name in self._open_entities:
            self._error("recursive entity reference", 12, at)
        return value

    def _open_entity(self, name, at):
        """An entity expat passes on undeclared (the DTD may declare it outside the document) or external:
        ElementTree gives the text `XMLParser.entity` holds for it, or raises."""
        v = self.entity.get(name)
        if v is None:
            self._error("undefined entity &%s;" % name, 11, at)
        return v

    def _entity_content(self, name, value, at):
        """Parses the text of entity `name` as content where it is referenced (buffer index at), with the parser's
        own loop over a buffer that holds just that text. Its elements must close within it: a mark on the stack
        of open elements stands for the entity's start (expat's asynchronous entity otherwise)."""
        outer = self._entity_at
        saved = self._buf, self._consumed_lines, self._consumed_col, self._open_entities
        if outer is None:
            self._entity_at = at
            self._entity_doc = saved   # the document, for the positions of errors
        self._open_entities += (name,)
        stack = self._stack
        stack.append(_ENTITY_MARK)
        try:
            self._buf = value
            self._parse(True)
            if stack[-1] is not _ENTITY_MARK:
                self._error("asynchronous entity", 13, at)
            stack.pop()
        finally:
            self._buf, self._consumed_lines, self._consumed_col, self._open_entities = saved
            self._entity_at = outer
            if outer is None:
                self._entity_doc = None

    def _attr_value(self, s, base, tag_at, opened=(), cut_at_amp=False):
        """An attribute value's text s (at buffer index base; its white space already spaces) with references
        expanded as expat does: an entity's text with its white space made spaces and its references expanded
        in turn, in order; what is wrong with an entity is reported at tag_at, the start of the tag."""
        out = []
        pos = 0
        while True:
            a = s.find("&", pos)
            text = s[pos:] if a < 0 else s[pos:a]
            if opened and "<" in text:
                self._error("not well-formed (invalid token)", 4, tag_at)
            out.append(text)
            if a < 0:
                break
            ref, pos = self._ref(s, a, base, base + a if cut_at_amp else None)
            if ref[0] == "#":
                out.append(self._char_ref(ref, base + a))
                continue
            v = _ENTITIES.get(ref)
            if v is not None:
                out.append(v)
                continue
            e = self._entities.get(ref)
            if e is None:
                if not self._pe_refs or self._standalone:
                    self._error("undefined entity", 11, tag_at)
                continue   # expat leaves out an entity the DTD may declare outside the document
            kind, value = e
            if kind == "unparsed":
                self._error("reference to binary entity", 15, tag_at)
            if kind == "external":
                self._error("reference to external entity in attribute", 16, base + a)
            if ref in opened:
                self._error("recursive entity reference", 12, tag_at)
            value = value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
            if "&" in value or "<" in value:
                outer = self._entity_at
                if outer is None:
                    self._entity_at = tag_at
                try:
                    value = self._attr_value(value, tag_at, tag_at, opened + (ref,))
                finally:
                    self._entity_at = outer
            out.append(value)
        return "".join(out)

    def _outside_text(self, text, off, final):
        """Text other than white space before or after the root element: expat's error for it (True when the
        buffer ends before it is known)."""
        k = len(text) - len(text.lstrip())
        if text[k] == "&":
            self._error("not well-formed (invalid token)", 4, off + k)
        # expat reads the text as declarations' tokens: one that breaks off is an invalid token; before the root
        # a whole one is a syntax error (a parameter entity reference an illegal one), after it junk
        try:
            t = _DTD(self, self._buf, off + k, final).token()
        except _Incomplete:
            return True
        if t[0] == "end":
            return False
        if self._done_root:
            self._error("junk after document element", 9, off + k)
        _DTD(self, self._buf, off + k, final).unexpected(t)

    def _end_tag_error(self, name, at):
        """Raises what is wrong with the end tag `name` (at buffer index at) that does not close the innermost open
        element: a malformed name, an element open outside the entity being read, or another element's name."""
        stack = self._stack
        if not stack:
            self._error("not well-formed (invalid token)", 4, at - 2)
        # an end tag is a name and white space: what breaks that off is an invalid token
        k = 0
        if name[:1] and _is_name_start(name[0]):
            while k < len(name) and _is_name_char(name[k]):
                k += 1
            while k < len(name) and name[k] in " \t\r\n":
                k += 1
        if k < len(name) or not name:
            self._error("not well-formed (invalid token)", 4, at + k)
        if stack[-1] is _ENTITY_MARK:
            self._error("asynchronous entity", 13, at)
        self._error("mismatched tag", 7, at)

    def _parse(self, final):
        """Parses the buffer as far as it goes (to its end when final), then drops what was parsed."""
        buf = self._buf
        n = len(buf)
        # the buffer in pieces, each starting just after a '<': a tag's body, '>', then the text up to the next '<'
        parts = buf.split("<")
        np = len(parts)
        stack = self._stack
        end = self._end
        data = self._data
        start_tag = self._start_tag
        events = self._events
        kinds = self._event_kinds
        text = parts[0]
        cdata_end = "]]>" in buf   # (then text is searched for it too: it may not stand in character data)
        attdefs = self._attdefs
        off = 0        # the buffer index where `text` starts
        consumed = 0   # everything before this index is parsed
        i = 0
        while True:
            if text:
                if stack:
                    if i == np - 1 and not final:
                        # keep a reference that may be cut in two for the next piece of the document
                        amp = text.rfind("&")
                        if amp >= 0 and text.find(";", amp) < 0:
                            if amp:
                                self._char_data(text[:amp], off)
                            consumed = off + amp
                            break
                    if "&" in text or "\r" in text or (cdata_end and "]" in text):
                        self._char_data(text, off)
                    elif data is not None:
                        data(text)
                elif text.strip() and self._outside_text(text, off, final):
                    consumed = off
                    break
            consumed = off + len(text)
            i += 1
            if i >= np:
                break
            lt = consumed   # the '<' of a markup token
            part = parts[i]
            last = i == np - 1
            if not part:
                if last:
                    if not final:
                        break
                    self._error("unclosed token", 5, lt)
                self._error("not well-formed (invalid token)", 4, lt + 1)
            c = part[0]
            if c == "/":
                gt = part.find(">")
                if gt < 0:
                    if last:
                        if not final:
                            break
                        self._error("unclosed token", 5, lt)
                    self._error("not well-formed (invalid token)", 4, lt + 1 + len(part))
                name = part[1:gt].rstrip()
                if not stack or name != stack[-1][0]:
                    self._end_tag_error(name, lt + 2)
                opened = stack.pop()
                if end is not None:
                    end(opened[1])
                if events is not None and "end" in kinds:
                    events.append(("end", opened[2]))
                if opened[3]:
                    self._pop_ns(opened[3])
                if not stack:
                    self._done_root = True
                text = part[gt + 1:]
                off = lt + gt + 2
                continue
            if c == "!" or c == "?":
                # comments, CDATA, a DOCTYPE and processing instructions may hold '<': ended by a search of the buffer
                e = self._markup(buf, lt, final)
                if e < 0:
                    break
                start = lt + 1
                while start + len(parts[i]) < e:
                    start += len(parts[i]) + 1
                    i += 1
                text = parts[i][e - start:]
                off = e
                continue
            # a start tag
            gt = part.find(">")
            if gt >= 0:
                body = part[:gt]
                if '"' in body or "'" in body:
                    gt = self._tag_end(part, 0)   # a '>' inside a quoted value does not end the tag
                    body = part[:gt]
            if gt < 0:
                if not _is_name_start(c):
                    self._error("not well-formed (invalid token)", 4, lt + 1)
                if last:
                    if not final:
                        break
                    self._error("unclosed token", 5, lt)
                self._tag_error(lt, lt + 1 + len(part))
            self._started = True
            empty = body[-1:] == "/"
            if empty:
                body = body[:-1]
            if self._done_root:
                self._error("junk after document element", 9, lt)
            if not self._ns_stack and body and " " not in body and ":" not in body and "\n" not in body and \
                    "\t" not in body and "\r" not in body and \
                    (body.isidentifier() or body.replace("-", "_").replace(".", "_").isidentifier()) and \
                    (not attdefs or body not in attdefs):
                # a bare name with no namespace in scope: what _start_tag does, without its general steps
                self._seen_root = True
                elem = self._start(body, {}) if self._start is not None else None
                if events is not None and "start" in kinds:
                    events.append(("start", elem))
                if empty:
                    if end is not None:
                        elem2 = end(body)
                        if elem is None:
                            elem = elem2
                    if events is not None and "end" in kinds:
                        events.append(("end", elem))
                    if not stack:
                        self._done_root = True
                else:
                    stack.append((body, body, elem, None))
            else:
                start_tag(body, lt + 1, empty)
            text = part[gt + 1:]
            off = lt + gt + 2
        if final and self._entity_at is None:
            if consumed < n and buf[consumed:].strip():
                self._error("unclosed token", 5, consumed)
            if stack or not self._seen_root:
                self._error("no element found", 3, n)
        self._consume(consumed)

    def _markup(self, buf, i, final):
        """Handles the comment, CDATA section, DOCTYPE or processing instruction at buf[i] ('<'); returns the index
        just past it, or -1 when the buffer ends before it does."""
        n = len(buf)
        stack = self._stack
        events = self._events
        kinds = self._event_kinds
        if buf[i + 1] == "!":
            if buf.startswith("<!--", i):
                e = buf.find("-->", i + 4)
                if e < 0:
                    if final:
                        self._error("unclosed token", 5, i)
                    return -1
                text = buf[i + 4:e]
                if "--" in text or text[-1:] == "-":
                    # '--' only ends a comment
                    self._error("not well-formed (invalid token)", 4, i + 4 + (text.find("--") if "--" in text else len(text) - 1) + 2)
                if self._comment is not None:
                    if "\r" in text:
                        text = text.replace("\r\n", "\n").replace("\r", "\n")
                    r = self._comment(text)
                    if events is not None and "comment" in kinds:
                        events.append(("comment", r))
                return e + 3
            if buf.startswith("<![CDATA[", i):
                e = buf.find("]]>", i + 9)
                if e < 0:
                    if final:
                        self._error("unclosed CDATA section", 20, n)
                    return -1
                if not stack:
                    self._error("syntax error", 2, i)
                text = buf[i + 9:e]
                if "\r" in text:
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
                if self._data is not None and text:
                    self._data(text)
                return e + 3
            if stack or self._entity_at is not None:
                # in content only comments and CDATA sections begin with '<!'
                if n - i < 9 and not final:
                    return -1
                want = "--" if buf[i + 2:i + 3] == "-" else "[CDATA["
                k = i + 2
                while k < n and k - i - 2 < len(want) and buf[k] == want[k - i - 2]:
                    k += 1
                self._error("not well-formed (invalid token)", 4, k)
            if self._done_root:
                self._error("junk after document element", 9, i)
            if buf[i + 2:i + 3] == "-":
                if n - i < 4 and not final:
                    return -1
                self._error("not well-formed (invalid token)", 4, i + 3)
            if buf[i + 2:i + 3] == "[":
                self._error("syntax error", 2, i)   # a conditional section: only in an external DTD
            # a declaration: only the DOCTYPE may stand here, once
            k = i + 2
            while k < n and buf[k].isalpha():
                k += 1
            if k == n:
                if not final:
                    return -1
                self._error("unclosed token", 5, i)
            if k == i + 2 or buf[k] not in " \t\r\n%" or (buf[k] == "%" and buf[k + 1:k + 2] in (" ", "\t", "\r", "\n", "%")):
                self._error("not well-formed (invalid token)", 4, k)
            if buf[i + 2:k] != "DOCTYPE" or self._doctype_seen:
                self._error("syntax error", 2, i)
            return self._doctype(buf, k, final)
        self._pi_target(buf, i)
        e = buf.find("?>", i + 2)
        if e < 0:
            if final:
                self._error("unclosed token", 5, i)
            return -1
        body = buf[i + 2:e]
        target, _, rest = body.partition(" ")
        if target.lower() == "xml":
            if i != 0 or self._started or self._entity_at is not None:
                self._error("XML or text declaration not at start of entity", 17, i)
            k = body.find("standalone")
            if k >= 0 and body[k + 10:].lstrip().lstrip("=").lstrip()[1:4] == "yes":
                self._standalone = True
        elif self._pi is not None:
            r = self._pi(target, rest.lstrip())
            if events is not None and "pi" in kinds:
                events.append(("pi", r))
        self._started = True
        return e + 2

    def _pi_target(self, buf, i):
        """Checks the target of the processing instruction at buf[i]: a name, then white space or '?>' (as far as
        the buffer goes)."""
        n = len(buf)
        k = i + 2
        if k < n and not _is_name_start(buf[k]):
            self._error("not well-formed (invalid token)", 4, k)
        while k < n and _is_name_char(buf[k]):
            k += 1
        if k < n and buf[k] not in " \t\r\n" and not (buf[k] == "?" and buf[k + 1:k + 2] in ("", ">")):
            self._error("not well-formed (invalid token)", 4, k + 1 if buf[k] == "?" else k)

    def _doctype(self, buf, k, final):
        """Parses the DOCTYPE declaration whose keyword ends at buf[k]: its name, external id and internal subset,
        keeping the general entities and attribute defaults it declares (parameter entities are not read, as
        ElementTree's expat reads none). Returns the index just past it, -1 when the buffer ends first."""
        try:
            # (what a first try declares before the buffer ends is declared the same way by the next)
            end = _DTD(self, buf, k, final).doctype()
        except _Incomplete:
            return -1
        self._doctype_seen = True
        self._started = True
        return end

    def _entity_value(self, lit, base):
        """The replacement text of an entity value literal lit (at buffer index base): character references
        expanded, general entity references kept, a parameter entity reference refused, line ends normalised."""
        out = []
        pos = 0
        n = len(lit)
        while True:
            a = lit.find("&", pos)
            b = lit.find("%", pos)
            if b >= 0 and (a < 0 or b < a):
                # no parameter entity may be referenced in an entity value in the internal subset
                k = b + 1
                if k < n and _is_name_start(lit[k]):
                    while k < n and _is_name_char(lit[k]):
                        k += 1
                    if k < n and lit[k] == ";":
                        self._error("illegal parameter entity reference", 10, base + b)
                self._error("not well-formed (invalid token)", 4, base + (k if k < n else b))
            if a < 0:
                out.append(lit[pos:])
                break
            out.append(lit[pos:a])
            ref, end = self._ref(lit, a, base, base + a)
            if ref[0] == "#":
                out.append(self._char_ref(ref, base + a))
            else:
                out.append(lit[a:end])
            pos = end
        # line ends from the literal's own text only: a character reference's CR stays
        return "".join(x.replace("\r\n", "\n").replace("\r", "\n") if i % 2 == 0 else x
                       for i, x in enumerate(out))

    def _tag_end(self, buf, k):
        """The index of the '>' that ends the tag begun at k, skipping quoted values; -1 if not in buf yet."""
        while True:
            gt = buf.find(">", k)
            if gt < 0:
                return -1
            q1 = buf.find('"', k, gt)
            q2 = buf.find("'", k, gt)
            if q1 < 0 and q2 < 0:
                return gt
            q = q1 if q2 < 0 or 0 <= q1 < q2 else q2
            close = buf.find(buf[q], q + 1)
            if close < 0:
                return -1
            k = close + 1

    def _start_tag(self, body, at, empty):
        # the name, then the attributes
        if not body or body[0] in " \t\r\n":
            self._error("not well-formed (invalid token)", 4, at)
        parts = body.split(None, 1)
        name = parts[0] if parts else ""
        if not name or not (name[0].isalpha() or name[0] == "_" or _is_name_start(name[0])):
            self._error("not well-formed (invalid token)", 4, at)
        if not name.isidentifier() and not name.replace("-", "_").replace(".", "_").isidentifier() and \
                (not all(_is_name_char(ch) for ch in name) or (":" in name and not _is_qname(name))):
            self._tag_error(at - 1, at)
        attrs = {}
        if len(parts) > 1:
            self._attributes(body, len(name), at, attrs)
        if self._attdefs:
            defs = self._attdefs.get(name)
            if defs:
                # the DTD's attribute list: defaults for what the tag leaves out, tokenized values normalised
                for att, tokenized, default in defs:
                    v = attrs.get(att)
                    if v is None:
                        if default is not None:
                            attrs[att] = default
                    elif tokenized:
                        attrs[att] = " ".join(x for x in v.split(" ") if x)
        self._seen_root = True
        declared = None
        colon = False
        if attrs:
            # namespace declarations (and the qualified names checked)
            for key in list(attrs):
                if ":" in key:
                    colon = True
                    if not _is_qname(key):
                        self._tag_error(at - 1, at)
                if key == "xmlns" or key[:6] == "xmlns:":
                    prefix = key[6:] if key != "xmlns" else ""
                    uri = attrs.pop(key)
                    if declared is None:
                        declared = []
                    declared.append((prefix, self._ns.get(prefix)))
                    self._ns[prefix] = uri
                    if self._start_ns is not None:
                        self._start_ns(prefix, uri)
                    if self._events is not None and "start-ns" in self._event_kinds:
                        self._events.append(("start-ns", (prefix, uri)))
        tag = self._qualify(name, True, at) if (":" in name or self._ns.get("")) else name
        if attrs and (self._ns_stack or declared or colon):
            qattrs = {}
            for a, v in attrs.items():
                qattrs[self._qualify(a, False, at) if ":" in a else a] = v
            attrs = qattrs
        elem = None
        if self._start is not None:
            elem = self._start(tag, attrs)
        if self._events is not None and "start" in self._event_kinds:
            self._events.append(("start", elem))
        if declared:
            self._ns_stack.append(declared)
        if empty:
            if self._end is not None:
                elem2 = self._end(tag)
                if elem is None:
                    elem = elem2
            if self._events is not None and "end" in self._event_kinds:
                self._events.append(("end", elem))
            if declared:
                self._pop_ns(declared)
            if not self._stack:
                self._done_root = True
        else:
            self._stack.append((name, tag, elem, declared))

    def _pop_ns(self, declared):
        self._ns_stack.pop()
        for prefix, old in reversed(declared):
            if old is None:
                del self._ns[prefix]
            else:
                self._ns[prefix] = old
            if self._end_ns is not None:
                self._end_ns(prefix)
            if self._events is not None and "end-ns" in self._event_kinds:
                self._events.append(("end-ns", None))

    def _qualify(self, name, is_tag, at):
        if ":" in name:
            prefix, local = name.split(":", 1)
            uri = self._ns.get(prefix)
            if uri is None:
                self._error("unbound prefix", 27, at)
            return "{%s}%s" % (uri, local)
        if is_tag:
            uri = self._ns.get("")
            if uri:
                return "{%s}%s" % (uri, name)
        return name

    def _attributes(self, body, k, at, attrs):
        n = len(body)
        while True:
            while k < n and body[k] in " \t\r\n":
                k += 1
            if k >= n:
                return
            eq = body.find("=", k)
            if eq < 0:
                self._tag_error(at - 1, at + k)
            key = body[k:eq].rstrip()
            keypos = k
            if not key or not _is_name_start(key[0]) or " " in key:
                self._tag_error(at - 1, at + k)
            k = eq + 1
            while k < n and body[k] in " \t\r\n":
                k += 1
            if k >= n or body[k] not in "'\"":
                self._tag_error(at - 1, at + k)
            q = body[k]
            e = body.find(q, k + 1)
            if e < 0:
                self._tag_error(at - 1, at + k)
            value = body[k + 1:e]
            if "<" in value:
                self._error("not well-formed (invalid token)", 4, at + k + 1 + value.find("<"))
            if "\r" in value or "\n" in value or "\t" in value:
                value = value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
            if "&" in value:
                value = self._attr_value(value, at + k + 1, at - 1)
            if key in attrs:
                self._error("duplicate attribute", 8, at + keypos)
            attrs[key] = value
            k = e + 1
            if k < n and body[k] not in " \t\r\n":
                self._tag_error(at - 1, at + k)

    def _tag_error(self, i, fallback):
        """Raises expat's invalid token for the malformed start tag at buffer index i ('<'), at the first
        character that breaks it (at `fallback` when none does there: a tag inside an entity's text)."""
        k = self._tag_break(self._buf, i)
        self._error("not well-formed (invalid token)", 4, k if 0 <= k < len(self._buf) else fallback)

    def _tag_break(self, s, i):
        """Where the start tag at s[i] ('<') breaks off: the index of the first character that may not stand
        there, len(s) when s ends inside it, -1 when it is whole."""
        n = len(s)
        k = _qname_end(s, i + 1)
        if k < 0:
            return -1 - k
        if k < n and k == i + 1:
            return k
        while k < n:
            # after the name or a value: '>', '/>', or white space and an attribute
            c = s[k]
            if c == ">":
                return -1
            if c == "/":
                return -1 if s[k + 1:k + 2] == ">" else k + 1
            if c not in " \t\r\n":
                return k
            while k < n and s[k] in " \t\r\n":
                k += 1
            if k == n or s[k] in ">/":
                continue
            j = _qname_end(s, k)
            if j < 0:
                return -1 - j
            if j == k and k < n:
                return k
            k = j
            while k < n and s[k] in " \t\r\n":
                k += 1
            if k == n or s[k] != "=":
                return k
            k += 1
            while k < n and s[k] in " \t\r\n":
                k += 1
            if k == n or s[k] not in "'\"":
                return k
            q = s[k]
            k += 1
            while k < n and s[k] != q and s[k] != "<":
                k = self._ref(s, k, 0)[1] if s[k] == "&" else k + 1
            if k == n or s[k] == "<":
                return k
            k += 1
        return n


class _Incomplete(Exception):
    """The buffer ends inside the DOCTYPE declaration: it is parsed again when more of the document comes."""


_NAME_ENDS = " \t\r\n>),|[%*+?"   # what may follow a name token in a declaration (expat's prolog tokens)
_LITERAL_ENDS = " \t\r\n>%["      # and a quoted literal
_PUBID_CHARS = frozenset(" \r\nabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-'()+,./:=?;!*#@$_%")
_TOKENIZED_TYPES = ("ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES", "NMTOKEN", "NMTOKENS")
_DECLARATIONS = {"ENTITY": "entity", "ATTLIST": "attlist", "ELEMENT": "element", "NOTATION": "notation"}


class _DTD:
    """Reads a DOCTYPE declaration with expat's tokens and grammar, reporting what is wrong as expat does: an
    invalid token where a token breaks off, a syntax error at a token the grammar does not allow there."""

    def __init__(self, parser, buf, k, final):
        self.p = parser
        self.buf = buf
        self.pos = k
        self.final = final
        self.entities = parser._entities
        self.attdefs = parser._attdefs
        self.keep = True   # declarations after a parameter entity reference that is not read are not processed

    def error(self, message, code, at):
        self.p._error(message, code, at)

    def partial(self, start):
        """The buffer ends inside the token at start."""
        if not self.final:
            raise _Incomplete()
        self.error("unclosed token", 5, start)

    def name_end(self, k):
        """The index past the name characters from k, checked against what may follow a name."""
        buf = self.buf
        n = len(buf)
        while k < n and _is_name_char(buf[k]):
            k += 1
        if k < n and buf[k] not in _NAME_ENDS:
            self.error("not well-formed (invalid token)", 4, k)
        return k

    def token(self):
        """The next token but white space: (kind, start, end); ("end", n, n) at the end of the buffer."""
        buf = self.buf
        n = len(buf)
        k = self.pos
        while k < n and buf[k] in " \t\r\n":
            k += 1
        if k == n:
            if not self.final:
                raise _Incomplete()
            self.pos = k
            return "end", k, k
        c = buf[k]
        if c == '"' or c == "'":
            e = buf.find(c, k + 1)
            if e < 0 or (e + 1 == n and not self.final):
                self.partial(k)   # (what follows a literal must be known too)
            if e + 1 < n and buf[e + 1] not in _LITERAL_ENDS:
                self.error("not well-formed (invalid token)", 4, e + 1)
            kind, end = "literal", e + 1
        elif c == "<":
            if buf.startswith("<!--", k):
                e = buf.find("--", k + 4)
                if e < 0 or e + 2 == n:
                    self.partial(k)
                if buf[e + 2] != ">":
                    self.error("not well-formed (invalid token)", 4, e + 2)
                kind, end = "comment", e + 3
            elif buf.startswith("<?", k):
                self.p._pi_target(buf, k)
                e = buf.find("?>", k + 2)
                if e < 0:
                    self.partial(k)
                kind, end = "pi", e + 2
            elif buf.startswith("<![", k):
                kind, end = "<![", k + 3
            elif buf.startswith("<!-", k):
                if k + 3 == n:
                    self.partial(k)
                self.error("not well-formed (invalid token)", 4, k + 3)
            elif buf.startswith("<!", k):
                j = k + 2
                while j < n and buf[j].isalpha():
                    j += 1
                if j == n or (j == k + 2 and n - k < 4):
                    self.partial(k)
                if j == k + 2 or buf[j] not in " \t\r\n%" or \
                        (buf[j] == "%" and (j + 1 == n or buf[j + 1] in " \t\r\n%")):
                    if buf[j] == "%" and j + 1 == n:
                        self.partial(k)
                    self.error("not well-formed (invalid token)", 4, j)
                kind, end = "decl", j
            else:
                if k + 1 == n:
                    self.partial(k)
                if not _is_name_start(buf[k + 1]):
                    self.error("not well-formed (invalid token)", 4, k + 1)
                kind, end = "<", k + 1
        elif c == "%":
            j = k + 1
            if j == n:
                self.partial(k)
            if buf[j] in " \t\r\n%":
                kind, end = "%", j
            else:
                if not _is_name_start(buf[j]):
                    self.error("not well-formed (invalid token)", 4, j)
                while j < n and _is_name_char(buf[j]):
                    j += 1
                if j == n:
                    self.partial(k)
                if buf[j] != ";":
                    self.error("not well-formed (invalid token)", 4, j)
                kind, end = "peref", j + 1
        elif c == "#":
            if k + 1 < n and not _is_name_start(buf[k + 1]):
                self.error("not well-formed (invalid token)", 4, k + 1)
            end = k + 1
            while end < n and _is_name_char(buf[end]):
                end += 1
            if end < n and buf[end] not in " \t\r\n)>%|":
                self.error("not well-formed (invalid token)", 4, end)
            kind = "#"
        elif c == "]" and buf.startswith("]]>", k):
            kind, end = "]]>", k + 3
        elif c == ")" and k + 1 < n and buf[k + 1] in "*+?":
            kind, end = ")" + buf[k + 1], k + 2
        elif c == ")" and k + 1 < n and buf[k + 1] not in " \t\r\n>),|":
            self.error("not well-formed (invalid token)", 4, k + 1)
        elif c in "[]>()|,":
            if not self.final and ((c == "]" and n - k < 3 and buf[k + 1:] in ("", "]")) or (c == ")" and k + 1 == n)):
                raise _Incomplete()
            kind, end = c, k + 1
        elif _is_name_char(c):
            kind, end = "name" if _is_name_start(c) else "nmtoken", self.name_end(k)
            if end < n and buf[end] in "*+?":
                # a name in a content model with its occurrence mark: one token, as expat's
                kind += buf[end]
                end += 1
        else:
            self.error("not well-formed (invalid token)", 4, k)
        if end == n and kind in ("name", "nmtoken", "#") and not self.final:
            raise _Incomplete()   # the name may go on
        self.pos = end
        return kind, k, end

    def text(self, t):
        return self.buf[t[1]:t[2]]

    def unexpected(self, t):
        """The grammar does not allow token t here: a syntax error, or the document's end."""
        if t[0] == "end":
            self.error("no element found", 3, t[1])
        if t[0] == "peref":
            self.error("illegal parameter entity reference", 10, t[1])
        self.error("syntax error", 2, t[1])

    def expect(self, t, kind, word=None):
        if t[0] != kind or (word is not None and self.text(t) != word):
            self.unexpected(t)
        return t

    def literal(self, t):
        """The text of a quoted literal token."""
        self.expect(t, "literal")
        return self.buf[t[1] + 1:t[2] - 1]

    def pubid(self, t):
        for j in range(t[1] + 1, t[2] - 1):
            if self.buf[j] not in _PUBID_CHARS:
                self.error("illegal character(s) in public id", 32, j)

    def external_id(self, t, allow_system_only_public=False):
        """SYSTEM literal or PUBLIC literal literal (the system literal optional for a notation); the token after."""
        word = self.text(t)
        if word == "SYSTEM":
            self.literal(self.token())
        else:
            lit = self.token()
            self.literal(lit)
            self.pubid(lit)
            t = self.token()
            if t[0] != "literal":
                if allow_system_only_public:
                    return t
                self.unexpected(t)
        return self.token()

    def doctype(self):
        """The whole declaration (the keyword read): returns the index past its '>'."""
        name = self.token()
        self.expect(name, "name")
        t = self.token()
        if t[0] == "name" and self.text(t) in ("SYSTEM", "PUBLIC"):
            self.p._pe_refs = True   # an external subset may declare what the document uses
            t = self.external_id(t)
        if t[0] == "[":
            while True:
                t = self.token()
                kind = t[0]
                if kind == "]":
                    break
                if kind == "comment" or kind == "pi":
                    continue
                if kind == "peref":
                    self.p._pe_refs = True
                    self.keep = self.p._standalone
                    continue
                if kind == "decl":
                    reader = _DECLARATIONS.get(self.buf[t[1] + 2:t[2]])
                    if reader is not None:
                        getattr(self, reader)()
                        continue
                self.unexpected(t)
            t = self.token()
        self.expect(t, ">")
        return t[2]

    def entity(self):
        t = self.token()
        parameter = t[0] == "%"
        if parameter:
            t = self.token()
        name = self.text(self.expect(t, "name"))
        t = self.token()
        if t[0] == "literal":
            lit = self.literal(t)
            entry = ("internal", self.p._entity_value(lit, t[1] + 1) if self.keep else None)
            t = self.token()
        else:
            if t[0] != "name" or self.text(t) not in ("SYSTEM", "PUBLIC"):
                self.unexpected(t)
            t = self.external_id(t)
            entry = ("external", None)
            if t[0] == "name" and self.text(t) == "NDATA":
                if parameter:
                    self.unexpected(t)
                self.expect(self.token(), "name")
                entry = ("unparsed", None)
                t = self.token()
        self.expect(t, ">")
        if not parameter and self.keep and name not in self.entities:
            self.entities[name] = entry

    def attlist(self):
        elem = self.text(self.expect(self.token(), "name"))
        while True:
            t = self.token()
            if t[0] == ">":
                return
            att = self.text(self.expect(t, "name"))
            t = self.token()
            if t[0] == "name" and self.text(t) == "NOTATION":
                self.enumeration(self.expect(self.token(), "("), ("name",))
                tokenized = True
            elif t[0] == "(":
                self.enumeration(t, ("name", "nmtoken"))
                tokenized = True
            elif t[0] == "name" and (self.text(t) == "CDATA" or self.text(t) in _TOKENIZED_TYPES):
                tokenized = self.text(t) != "CDATA"
            else:
                self.unexpected(t)
            t = self.token()
            default = None
            if t[0] == "#":
                word = self.text(t)
                if word == "#FIXED":
                    t = self.token()
                elif word not in ("#REQUIRED", "#IMPLIED"):
                    self.unexpected(t)
            if t[0] != "#":
                lit = self.literal(t)
                if not self.keep:
                    continue
                if "<" in lit:
                    self.error("not well-formed (invalid token)", 4, t[1] + 1 + lit.find("<"))
                lit = lit.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
                default = self.p._attr_value(lit, t[1] + 1, t[1], cut_at_amp=True)
                if tokenized:
                    default = " ".join(x for x in default.split(" ") if x)
            if self.keep:
                known = self.attdefs.setdefault(elem, [])
                if all(a[0] != att for a in known):
                    known.append((att, tokenized, default))

    def enumeration(self, t, kinds):
        """( value | value ... ) for an attribute type."""
        while True:
            v = self.token()
            if v[0] not in kinds:
                self.unexpected(v)
            t = self.token()
            if t[0] == ")":
                return
            self.expect(t, "|")

    def element(self):
        self.expect(self.token(), "name")
        t = self.token()
        if t[0] == "name" and self.text(t) in ("EMPTY", "ANY"):
            t = self.token()
        elif t[0] == "(":
            t = self.content_model(True)
        else:
            self.unexpected(t)
        self.expect(t, ">")

    def content_model(self, outer):
        """A content model from just past its '('; returns the token after it."""
        t = self.token()
        if t[0] == "#":
            if self.text(t) != "#PCDATA" or not outer:
                self.unexpected(t)
            names = 0
            while True:
                t = self.token()
                if t[0] == ")*" or (t[0] == ")" and not names):
                    return self.token()
                self.expect(t, "|")
                self.expect(self.token(), "name")
                names += 1
        sep = None
        while True:
            if t[0] == "(":
                t = self.content_model(False)
            else:
                if t[0] not in ("name", "name*", "name+", "name?"):
                    self.unexpected(t)
                t = self.token()
            if t[0] in (")", ")*", ")+", ")?"):
                return self.token()
            if t[0] not in ("|", ",") or (sep is not None and t[0] != sep):
                self.unexpected(t)
            sep = t[0]
            t = self.token()

    def notation(self):
        self.expect(self.token(), "name")
        t = self.token()
        if t[0] != "name" or self.text(t) not in ("SYSTEM", "PUBLIC"):
            self.unexpected(t)
        self.expect(self.external_id(t, True), ">")


def XML(text, parser=None):
    """Parses an XML document from a str or bytes and returns its root element."""
    if not parser:
        parser = XMLParser(target=TreeBuilder())
    parser.feed(text)
    return parser.close()


fromstring = XML


def fromstringlist(sequence, parser=None):
    if not parser:
        parser = XMLParser(target=TreeBuilder())
    for text in sequence:
        parser.feed(text)
    return parser.close()


def XMLID(text, parser=None):
    if not parser:
        parser = XMLParser(target=TreeBuilder())
    parser.feed(text)
    tree = parser.close()
    ids = {}
    for elem in tree.iter():
        id = elem.get("id")
        if id:
            ids[id] = elem
    return tree, ids


def parse(source, parser=None):
    """Parses a file (a name or a file object) into an ElementTree."""
    tree = ElementTree()
    tree.parse(source, parser)
    return tree


class XMLPullParser:
    """A non-blocking parser: feed() data, then read_events() the (event, element) pairs seen so far."""

    def __init__(self, events=None, *, _parser=None):
        self._parser = _parser or XMLParser(target=TreeBuilder())
        if events is None:
            events = ("end",)
        for e in events:
            if e not in ("start", "end", "comment", "pi", "start-ns", "end-ns"):
                raise ValueError("unknown event %r" % e)
        self._parser._events = []
        self._parser._event_kinds = tuple(events)
        if "comment" in events and self._parser._comment is None:
            pass
        self._root = None

    def feed(self, data):
        if self._parser is None:
            raise ValueError("feed() called after end of stream")
        if data:
            try:
                self._parser.feed(data)
            except SyntaxError as exc:
                self._parser._events.append(exc)

    def _close_and_return_root(self):
        root = self._parser.close()
        self._parser_events = self._parser._events
        return root

    def close(self):
        self._close_and_return_root()

    def read_events(self):
        events = self._parser._events
        while events:
            event = events.pop(0)
            if isinstance(event, Exception):
                raise event
            yield event

    def flush(self):
        pass


class _IterParse:
    def __init__(self, source, events, parser):
        self._close = False
        if not hasattr(source, "read"):
            source = open(source, "rb")
            self._close = True
        self._source = source
        self._pull = XMLPullParser(events=events, _parser=parser)
        self._pending = []
        self._pos = 0
        self._done = False
        self.root = None

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            if self._pos < len(self._pending):
                ev = self._pending[self._pos]
                self._pos += 1
                return ev
            if self._done:
                raise StopIteration
            events = self._pull._parser._events
            data = self._source.read(16 * 1024)
            if data:
                self._pull._parser.feed(data)
            else:
                self.root = self._pull._parser.close()
                self._done = True
                if self._close:
                    self._source.close()
            self._pending = events[:]
            del events[:]
            self._pos = 0


def iterparse(source, events=None, parser=None):
    """Parses source (a file name or file object) incrementally, yielding (event, element) pairs; `root` is set at
    the end."""
    return _IterParse(source, events, parser)
