// The Python text of mpsh's `bs4` module (see Web.swift): compiled into the module on first import.
// Mirrors the beautifulsoup4 package's BeautifulSoup, Tag and NavigableString, for what a crawler uses.
let beautifulSoupSource = #"""
# mpsh's bs4: BeautifulSoup over the "html.parser" features, for the seed crawlers. Mirrors the
# beautifulsoup4 package's BeautifulSoup, Tag and NavigableString, for what a crawler uses: the tree that
# html.parser's events build, find_all / find with name, attribute and string filters, get, attrs, text,
# string, get_text, and str() of a tag.
import _mpsh_web

__version__ = '4.15.0'


class FeatureNotFound(ValueError):
    pass


# Text is a str (bs4's NavigableString is a str subclass); the other kinds of string are marked by class.
NavigableString = str


class Comment(str):
    pass


class Doctype(str):
    pass


class Declaration(str):
    pass


class ProcessingInstruction(str):
    pass


class Script(str):
    """The text of a <script>: printed as it is, and not part of get_text()."""


class Stylesheet(str):
    """The text of a <style>: printed as it is, and not part of get_text()."""


_SPECIAL = (Comment, Doctype, Declaration, ProcessingInstruction, Script, Stylesheet)

_VOID = set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'menuitem', 'meta',
             'param', 'source', 'track', 'wbr', 'basefont', 'bgsound', 'command', 'frame', 'image', 'isindex',
             'nextid', 'spacer'])

# Attributes whose value is a list of words (bs4's cdata_list_attributes).
_MULTI = {
    '*': ['class', 'accesskey', 'dropzone'],
    'a': ['rel', 'rev'],
    'link': ['rel', 'rev'],
    'td': ['headers'],
    'th': ['headers'],
    'form': ['accept-charset'],
    'object': ['archive'],
    'area': ['rel'],
    'icon': ['sizes'],
    'iframe': ['sandbox'],
    'output': ['for'],
}


def _escape(text, attribute=False):
    text = text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    return text


def _quoted(value):
    value = _escape(value)
    if '"' in value:
        if "'" in value:
            return '"' + value.replace('"', '&quot;') + '"'
        return "'" + value + "'"
    return '"' + value + '"'


def _node_html(node):
    if isinstance(node, Tag):
        return node.decode()
    if isinstance(node, Comment):
        return '<!--' + str(node) + '-->'
    if isinstance(node, Doctype):
        return '<!DOCTYPE ' + str(node) + '>'
    if isinstance(node, Declaration):
        return '<!' + str(node) + '>'
    if isinstance(node, ProcessingInstruction):
        return '<?' + str(node) + '>'
    if isinstance(node, (Script, Stylesheet)):
        return str(node)
    return _escape(node)


def _match(matcher, value):
    if matcher is True:
        return value is not None
    if isinstance(value, list):
        for v in value:
            if _match(matcher, v):
                return True
        if isinstance(matcher, str):
            return ' '.join(value) == matcher
        return False
    if value is None:
        return False
    if isinstance(matcher, str):
        return value == matcher
    if isinstance(matcher, (list, tuple, set)):
        for m in matcher:
            if _match(m, value):
                return True
        return False
    if hasattr(matcher, 'search'):
        return matcher.search(value) is not None
    if callable(matcher):
        return bool(matcher(value))
    return False


def _tag_matches(tag, name, attrs, string):
    if name is not None and name is not True:
        if isinstance(name, str):
            if tag.name != name:
                return False
        elif isinstance(name, (list, tuple, set)):
            if not _match(name, tag.name):
                return False
        elif hasattr(name, 'search'):
            if name.search(tag.name) is None:
                return False
        elif callable(name):
            if not name(tag):
                return False
    for key, matcher in attrs.items():
        value = tag.attrs.get(key)
        if matcher is None or matcher is False:
            if value is not None:
                return False
        elif not _match(matcher, value):
            return False
    if string is not None:
        s = tag.string
        if s is None or not _match(string, str(s)):
            return False
    return True


class Tag:
    """An HTML element: name, attrs, and contents (tags and strings)."""

    def __init__(self, name, attrs=None, parent=None):
        self.name = name
        self.attrs = {} if attrs is None else attrs
        self.contents = []
        self.parent = parent
        self.hidden = False
        self.can_be_empty_element = name in _VOID

    # attributes

    def get(self, key, default=None):
        return self.attrs.get(key, default)

    def get_attribute_list(self, key, default=None):
        value = self.attrs.get(key, default)
        if not isinstance(value, list):
            value = [value]
        return value

    def has_attr(self, key):
        return key in self.attrs

    def __getitem__(self, key):
        return self.attrs[key]

    def __setitem__(self, key, value):
        self.attrs[key] = value

    def __delitem__(self, key):
        del self.attrs[key]

    # the tree

    def __len__(self):
        return len(self.contents)

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(self.contents)

    def __contains__(self, node):
        return node in self.contents

    @property
    def children(self):
        return iter(self.contents)

    @property
    def descendants(self):
        return iter(self._descendants())

    def _descendants(self):
        found = []
        for node in self.contents:
            found.append(node)
            if isinstance(node, Tag):
                found.extend(node._descendants())
        return found

    def _sibling(self, step):
        if self.parent is None:
            return None
        siblings = self.parent.contents
        for k in range(len(siblings)):
            if siblings[k] is self:
                j = k + step
                return siblings[j] if 0 <= j < len(siblings) else None
        return None

    @property
    def next_sibling(self):
        return self._sibling(1)

    @property
    def previous_sibling(self):
        return self._sibling(-1)

    @property
    def parents(self):
        found = []
        node = self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return iter(found)

    # text

    def _all_strings(self, strip=False):
        found = []
        for node in self._descendants():
            if isinstance(node, Tag) or isinstance(node, _SPECIAL):
                continue
            if strip:
                node = node.strip()
                if not node:
                    continue
            found.append(node)
        return found

    def get_text(self, separator='', strip=False):
        return separator.join(self._all_strings(strip))

    getText = get_text

    @property
    def text(self):
        return self.get_text()

    @property
    def strings(self):
        return iter(self._all_strings())

    @property
    def stripped_strings(self):
        return iter(self._all_strings(True))

    @property
    def string(self):
        if len(self.contents) != 1:
            return None
        child = self.contents[0]
        if isinstance(child, Tag):
            return child.string
        return child

    # searching

    def find_all(self, name=None, attrs={}, recursive=True, string=None, limit=None, **kwargs):
        if string is None and 'text' in kwargs:
            string = kwargs.pop('text')
        wanted = {}
        if isinstance(attrs, str):
            wanted['class'] = attrs
        elif attrs:
            wanted.update(attrs)
        for key, value in kwargs.items():
            wanted['class' if key == 'class_' else key] = value
        nodes = self._descendants() if recursive else self.contents
        results = []
        if name is None and not wanted and string is not None:
            for node in nodes:
                if not isinstance(node, Tag) and _match(string, str(node)):
                    results.append(node)
        else:
            for node in nodes:
                if isinstance(node, Tag) and _tag_matches(node, name, wanted, string):
                    results.append(node)
                    if limit and len(results) >= limit:
                        break
        if limit:
            results = results[:limit]
        return results

    findAll = find_all
    findChildren = find_all

    def find(self, name=None, attrs={}, recursive=True, string=None, **kwargs):
        found = self.find_all(name, attrs, recursive, string, 1, **kwargs)
        return found[0] if found else None

    findChild = find

    def find_parent(self, name=None, attrs={}, **kwargs):
        for node in self.parents:
            if _tag_matches(node, name, dict(attrs, **kwargs), None):
                return node
        return None

    def __getattr__(self, name):
        if name.startswith('__') or name in ('name', 'attrs', 'contents', 'parent', 'hidden'):
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        return self.find(name)

    # output

    def decode(self):
        inner = ''.join([_node_html(node) for node in self.contents])
        if self.hidden:
            return inner
        attributes = ''
        for key, value in self.attrs.items():
            if isinstance(value, list):
                value = ' '.join(value)
            attributes += ' ' + key + '=' + _quoted(value)
        if self.can_be_empty_element and not self.contents:
            return '<' + self.name + attributes + '/>'
        return '<' + self.name + attributes + '>' + inner + '</' + self.name + '>'

    def prettify(self):
        return self.decode()

    def __str__(self):
        return self.decode()

    def __repr__(self):
        return self.decode()


def _build(soup, markup):
    stack = [soup]
    for event in _mpsh_web.tokenize(markup):
        kind = event[0]
        if kind == 'start':
            name = event[1]
            multi = _MULTI['*'] + _MULTI.get(name, [])
            attrs = {}
            for key, value in event[2]:
                if value is None:
                    value = ''
                if key in multi:
                    value = value.split()
                attrs[key] = value
            tag = Tag(name, attrs, stack[-1])
            stack[-1].contents.append(tag)
            if not event[3] and name not in _VOID:
                stack.append(tag)
        elif kind == 'end':
            for k in range(len(stack) - 1, 0, -1):
                if stack[k].name == event[1]:
                    stack = stack[:k]
                    break
        elif kind == 'data':
            if stack[-1].name == 'script':
                stack[-1].contents.append(Script(event[1]))
            elif stack[-1].name == 'style':
                stack[-1].contents.append(Stylesheet(event[1]))
            else:
                stack[-1].contents.append(event[1])
        elif kind == 'comment':
            stack[-1].contents.append(Comment(event[1]))
        elif kind == 'decl':
            if event[1][:8].upper() == 'DOCTYPE ':
                stack[-1].contents.append(Doctype(event[1][8:]))
            else:
                stack[-1].contents.append(Declaration(event[1]))
        else:
            stack[-1].contents.append(ProcessingInstruction(event[1]))


class BeautifulSoup(Tag):
    """The parsed document: a Tag named '[document]' holding the page's top-level nodes."""

    def __init__(self, markup='', features=None, builder=None, parse_only=None, from_encoding=None, **kwargs):
        if features is not None:
            wanted = features if isinstance(features, str) else ','.join(features)
            if wanted not in ('html.parser', 'html'):
                raise FeatureNotFound("Couldn't find a tree builder with the features you requested: %s. "
                                      "Do you need to install a parser library?" % wanted)
        Tag.__init__(self, '[document]')
        self.hidden = True
        if hasattr(markup, 'read'):
            markup = markup.read()
        if isinstance(markup, bytes):
            markup = _mpsh_web.decode(markup, from_encoding or 'utf-8')
        _build(self, markup)
"""#
