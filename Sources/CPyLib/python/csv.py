"""CSV reading and writing, as CPython's csv (its C reader and writer's rules in Python): reader, writer,
DictReader, DictWriter, the excel/excel-tab/unix dialects, register_dialect, Sniffer-free; quoting QUOTE_MINIMAL,
QUOTE_ALL, QUOTE_NONNUMERIC, QUOTE_NONE; escapechar, doublequote, skipinitialspace, strict; csv.Error messages."""

import re

__all__ = ["QUOTE_MINIMAL", "QUOTE_ALL", "QUOTE_NONNUMERIC", "QUOTE_NONE", "Error", "Dialect", "excel", "excel_tab",
           "unix_dialect", "reader", "writer", "register_dialect", "get_dialect", "list_dialects", "field_size_limit",
           "DictReader", "DictWriter", "__version__"]

__version__ = "1.0"
QUOTE_MINIMAL, QUOTE_ALL, QUOTE_NONNUMERIC, QUOTE_NONE = 0, 1, 2, 3
_field_limit = 128 * 1024


class Error(Exception):
    pass


class Dialect:
    _name = ""
    _valid = False
    delimiter = None
    quotechar = None
    escapechar = None
    doublequote = None
    skipinitialspace = None
    lineterminator = None
    quoting = None
    strict = False

    def __init__(self):
        if self.__class__ != Dialect:
            self._valid = True


class excel(Dialect):
    delimiter = ','
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = '\r\n'
    quoting = QUOTE_MINIMAL


class excel_tab(excel):
    delimiter = '\t'


class unix_dialect(Dialect):
    delimiter = ','
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = '\n'
    quoting = QUOTE_ALL


_dialects = {'excel': excel, 'excel-tab': excel_tab, 'unix': unix_dialect}


class _Options:
    def __init__(self, dialect, kwargs):
        if isinstance(dialect, str):
            dialect = get_dialect(dialect)
        for name in ('delimiter', 'quotechar', 'escapechar', 'doublequote', 'skipinitialspace', 'lineterminator',
                     'quoting', 'strict'):
            value = kwargs.pop(name, getattr(dialect, name, None))
            setattr(self, name, value)
        if kwargs:
            raise TypeError("'%s' is an invalid keyword argument for this function" % next(iter(kwargs)))
        if self.doublequote is None:
            self.doublequote = True
        if self.quoting is None:
            self.quoting = QUOTE_MINIMAL
        if self.lineterminator is None:
            self.lineterminator = '\r\n'
        if not isinstance(self.delimiter, str):
            raise TypeError('"delimiter" must be a 1-character string' if self.delimiter is not None
                            else '"delimiter" must be a unicode character, not NoneType')
        if len(self.delimiter) != 1:
            raise TypeError('"delimiter" must be a 1-character string')
        if self.quotechar == '':
            raise TypeError('"quotechar" must be a 1-character string')
        if self.quoting != QUOTE_NONE and self.quotechar is None:
            raise TypeError('quotechar must be set if quoting enabled')


def register_dialect(name, dialect=None, **kwargs):
    if not isinstance(name, str):
        raise TypeError("dialect name must be a string")
    base = dialect if dialect is not None else excel
    opts = _Options(base, dict(kwargs))
    d = type(name, (Dialect,), {k: getattr(opts, k) for k in ('delimiter', 'quotechar', 'escapechar', 'doublequote',
                                                               'skipinitialspace', 'lineterminator', 'quoting',
                                                               'strict')})
    _dialects[name] = d


def unregister_dialect(name):
    if name not in _dialects:
        raise Error("unknown dialect")
    del _dialects[name]


def get_dialect(name):
    try:
        return _dialects[name]
    except KeyError:
        raise Error("unknown dialect") from None


def list_dialects():
    return list(_dialects)


def field_size_limit(new_limit=None):
    global _field_limit
    old = _field_limit
    if new_limit is not None:
        _field_limit = new_limit
    return old


class _Reader:
    def __init__(self, f, dialect, kwargs):
        self._it = iter(f)
        self.dialect = _Options(dialect, kwargs)
        self.line_num = 0

    def __iter__(self):
        return self

    def __next__(self):
        d = self.dialect
        fields = []
        field = []
        state = 'start'
        quoted = False
        while True:
            try:
                line = next(self._it)
            except StopIteration:
                if state in ('start',) and not fields and not field:
                    raise
                if state in ('quoted', 'quote_escape') and d.strict:
                    raise Error('unexpected end of data')
                if state == 'quoted':
                    raise Error('unexpected end of data')
                fields.append(self._finish(field, quoted))
                return fields
            if not isinstance(line, str):
                raise Error("iterator should return strings, not %.200s (the file should be opened in text mode)"
                            % type(line).__name__)
            self.line_num += 1
            i, n = 0, len(line)
            while i < n:
                c = line[i]
                if state == 'start' or state == 'field_start':
                    if c in '\r\n' and state == 'start':
                        if not fields and not field:
                            return []
                    if c == d.quotechar and d.quoting != QUOTE_NONE:
                        state = 'quoted'
                        quoted = True
                    elif c == d.escapechar:
                        state = 'escape'
                    elif c == ' ' and d.skipinitialspace:
                        pass
                    elif c == d.delimiter:
                        fields.append(self._finish(field, quoted))
                        field, quoted = [], False
                        state = 'field_start'
                    elif c in '\r\n':
                        state = 'eol'
                        i = n
                        break
                    else:
                        field.append(c)
                        state = 'in_field'
                elif state == 'in_field':
                    if c == d.delimiter:
                        fields.append(self._finish(field, quoted))
                        field, quoted = [], False
                        state = 'field_start'
                    elif c == d.escapechar:
                        state = 'escape'
                    elif c in '\r\n':
                        state = 'eol'
                        i = n
                        break
                    else:
                        field.append(c)
                elif state == 'escape':
                    field.append(c)
                    state = 'in_field'
                elif state == 'quoted':
                    if c == d.escapechar:
                        state = 'quoted_escape'
                    elif c == d.quotechar:
                        state = 'quote_in_quoted' if d.doublequote else 'in_field'
                    else:
                        field.append(c)
                elif state == 'quoted_escape':
                    field.append(c)
                    state = 'quoted'
                elif state == 'quote_in_quoted':
                    if c == d.quotechar:
                        field.append(c)
                        state = 'quoted'
                    elif c == d.delimiter:
                        fields.append(self._finish(field, quoted))
                        field, quoted = [], False
                        state = 'field_start'
                    elif c in '\r\n':
                        state = 'eol'
                        i = n
                        break
                    elif d.strict:
                        raise Error("'%s' expected after '%s'" % (d.delimiter, d.quotechar))
                    else:
                        field.append(c)
                        state = 'in_field'
                if len(field) > _field_limit:
                    raise Error("field larger than field limit (%d)" % _field_limit)
                i += 1
            if state == 'eol' or state in ('in_field', 'field_start', 'quote_in_quoted', 'start'):
                if state == 'start' and not fields and not field:
                    return []
                fields.append(self._finish(field, quoted))
                return fields
            if state == 'escape':
                field.append('\n')
                state = 'in_field'
            # quoted: the field continues on the next line (the newline is part of it)

    def _finish(self, field, quoted):
        s = ''.join(field)
        if self.dialect.quoting == QUOTE_NONNUMERIC and not quoted and s:
            try:
                return float(s)
            except ValueError:
                raise ValueError("could not convert string to float: %r" % s) from None
        return s


def reader(csvfile, dialect='excel', **fmtparams):
    return _Reader(csvfile, dialect, dict(fmtparams))


class _Writer:
    def __init__(self, f, dialect, kwargs):
        try:
            self._write = f.write
        except AttributeError:
            raise TypeError('argument 1 must have a "write" method') from None
        self.dialect = _Options(dialect, kwargs)

    def _field(self, value, only):
        d = self.dialect
        if value is None:
            s = ''
        elif isinstance(value, float):
            s = repr(value)
        else:
            s = str(value)
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if d.quoting == QUOTE_ALL:
            quote = True
        elif d.quoting == QUOTE_NONNUMERIC:
            quote = not numeric and value is not None or (value is None and False)
            if value is None:
                quote = True
        else:
            quote = False
        specials = d.delimiter + (d.quotechar or '') + '\r\n' + (d.escapechar or '')
        if d.quoting == QUOTE_NONE:
            out = []
            for c in s:
                if c in specials and c != (d.escapechar or ''):
                    if d.escapechar is None:
                        raise Error('need to escape, but no escapechar set')
                    out.append(d.escapechar)
                elif d.escapechar is not None and c == d.escapechar:
                    out.append(d.escapechar)
                out.append(c)
            return ''.join(out)
        if d.quoting == QUOTE_MINIMAL and (any(c in specials for c in s) or (s == '' and only)) or \
                (s and s[0] == ' ' and d.skipinitialspace and d.quoting == QUOTE_MINIMAL):
            quote = True
        if d.quotechar and d.quotechar in s:
            if d.doublequote:
                s = s.replace(d.quotechar, d.quotechar * 2)
            elif d.escapechar:
                s = s.replace(d.quotechar, d.escapechar + d.quotechar)
            else:
                raise Error('need to escape, but no escapechar set')
        if quote:
            return d.quotechar + s + d.quotechar
        return s

    def writerow(self, row):
        try:
            items = list(row)
        except TypeError:
            raise Error('iterable expected, not %s' % type(row).__name__) from None
        only = len(items) == 1
        line = self.dialect.delimiter.join(self._field(v, only) for v in items) + self.dialect.lineterminator
        return self._write(line)

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(csvfile, dialect='excel', **fmtparams):
    return _Writer(csvfile, dialect, dict(fmtparams))


class DictReader:
    def __init__(self, f, fieldnames=None, restkey=None, restval=None, dialect="excel", *args, **kwds):
        self._fieldnames = fieldnames
        self.restkey = restkey
        self.restval = restval
        self.reader = reader(f, dialect, *args, **kwds)
        self.dialect = dialect
        self.line_num = 0

    def __iter__(self):
        return self

    @property
    def fieldnames(self):
        if self._fieldnames is None:
            try:
                self._fieldnames = next(self.reader)
            except StopIteration:
                pass
        self.line_num = self.reader.line_num
        return self._fieldnames

    @fieldnames.setter
    def fieldnames(self, value):
        self._fieldnames = value

    def __next__(self):
        if self.line_num == 0:
            self.fieldnames
        row = next(self.reader)
        self.line_num = self.reader.line_num
        while row == []:
            row = next(self.reader)
        d = dict(zip(self.fieldnames, row))
        lf = len(self.fieldnames)
        lr = len(row)
        if lf < lr:
            d[self.restkey] = row[lf:]
        elif lf > lr:
            for key in self.fieldnames[lr:]:
                d[key] = self.restval
        return d


class DictWriter:
    def __init__(self, f, fieldnames, restval="", extrasaction="raise", dialect="excel", *args, **kwds):
        self.fieldnames = fieldnames
        self.restval = restval
        if extrasaction.lower() not in ("raise", "ignore"):
            raise ValueError("extrasaction (%s) must be 'raise' or 'ignore'" % extrasaction)
        self.extrasaction = extrasaction
        self.writer = writer(f, dialect, *args, **kwds)

    def writeheader(self):
        header = dict(zip(self.fieldnames, self.fieldnames))
        return self.writerow(header)

    def _dict_to_list(self, rowdict):
        if self.extrasaction == "raise":
            wrong_fields = [k for k in rowdict if k not in self.fieldnames]
            if wrong_fields:
                raise ValueError("dict contains fields not in fieldnames: " + ", ".join([repr(x) for x in wrong_fields]))
        return (rowdict.get(key, self.restval) for key in self.fieldnames)

    def writerow(self, rowdict):
        return self.writer.writerow(self._dict_to_list(rowdict))

    def writerows(self, rowdicts):
        return self.writer.writerows(map(self._dict_to_list, rowdicts))
