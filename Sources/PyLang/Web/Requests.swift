// The Python text of mpsh's `requests` module (see Web.swift): compiled into the module on first import.
// Mirrors the requests package's api.py, models.py and exceptions.py, for what a crawler uses.
let requestsSource = #"""
# mpsh's requests: GET over plain HTTP/1.1 (no TLS), for the seed crawlers. Mirrors the requests package's
# api.py, models.py (Response) and exceptions.py, for what a crawler uses.
import _mpsh_web
from urllib.parse import urlencode

__version__ = '2.34.2'


class RequestException(OSError):
    """There was an ambiguous exception that occurred while handling your request."""


class HTTPError(RequestException):
    """An HTTP error occurred."""


class ConnectionError(RequestException):
    """A Connection error occurred."""


class Timeout(RequestException):
    """The request timed out."""


class ConnectTimeout(Timeout):
    """The request timed out while trying to connect to the remote server."""


class ReadTimeout(Timeout):
    """The server did not send any data in the allotted amount of time."""


class URLRequired(RequestException):
    """A valid URL is required to make a request."""


class TooManyRedirects(RequestException):
    """Too many redirects."""


class MissingSchema(RequestException):
    """The URL scheme (e.g. http or https) is missing."""


class InvalidSchema(RequestException):
    """The URL scheme provided is either invalid or unsupported."""


class InvalidURL(RequestException):
    """The URL provided was somehow invalid."""


_ERRORS = {
    'InvalidURL': InvalidURL,
    'MissingSchema': MissingSchema,
    'InvalidSchema': InvalidSchema,
    'ConnectionError': ConnectionError,
    'Timeout': ReadTimeout,
    'TooManyRedirects': TooManyRedirects,
}


class CaseInsensitiveDict:
    """The response headers: keys compare without case, and keep the case they were sent with."""

    def __init__(self, items=()):
        self._store = {}
        for key, value in items:
            self._store[key.lower()] = (key, value)

    def __getitem__(self, key):
        return self._store[key.lower()][1]

    def __setitem__(self, key, value):
        self._store[key.lower()] = (key, value)

    def __contains__(self, key):
        return key.lower() in self._store

    def __len__(self):
        return len(self._store)

    def __iter__(self):
        return iter([pair[0] for pair in self._store.values()])

    def get(self, key, default=None):
        pair = self._store.get(key.lower())
        return default if pair is None else pair[1]

    def keys(self):
        return [pair[0] for pair in self._store.values()]

    def values(self):
        return [pair[1] for pair in self._store.values()]

    def items(self):
        return [pair for pair in self._store.values()]

    def __repr__(self):
        return repr(dict(self.items()))


def _encoding_from_headers(headers):
    content_type = headers.get('content-type')
    if not content_type:
        return None
    parts = content_type.split(';')
    mime = parts[0].strip().lower()
    for param in parts[1:]:
        key, _, value = param.strip().partition('=')
        if key.strip().lower() == 'charset':
            return value.strip().strip('\'"')
    if 'text' in mime:
        return 'ISO-8859-1'
    if 'application/json' in mime:
        return 'utf-8'
    return None


class Response:
    """The server's response to an HTTP request."""

    def __init__(self):
        self.status_code = None
        self.reason = None
        self.headers = CaseInsensitiveDict()
        self.url = None
        self.history = []
        self.content = b''
        self.encoding = None

    @property
    def ok(self):
        return self.status_code < 400

    @property
    def apparent_encoding(self):
        return 'utf-8'

    @property
    def text(self):
        return _mpsh_web.decode(self.content, self.encoding or self.apparent_encoding)

    def json(self, **kwargs):
        import json
        return json.loads(self.text)

    def raise_for_status(self):
        if 400 <= self.status_code < 500:
            raise HTTPError('%s Client Error: %s for url: %s' % (self.status_code, self.reason, self.url))
        if 500 <= self.status_code < 600:
            raise HTTPError('%s Server Error: %s for url: %s' % (self.status_code, self.reason, self.url))

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return '<Response [%s]>' % self.status_code


def _make_response(method, url, params, headers, timeout, allow_redirects):
    if not isinstance(url, str):
        url = str(url)
    url = url.strip()
    if params:
        url = url + ('&' if '?' in url else '?') + urlencode(params)
    header_list = []
    if headers:
        for key, value in headers.items():
            header_list.append((key, value))
    if isinstance(timeout, tuple):
        timeout = timeout[1] if timeout[1] is not None else timeout[0]
    result = _mpsh_web.request(method.upper(), url, header_list, timeout, allow_redirects)
    if result[0] < 0:
        raise _ERRORS[result[1]](result[2])
    response = Response()
    response.status_code = result[0]
    response.reason = result[1]
    response.headers = CaseInsensitiveDict(result[2])
    response.content = result[3]
    response.url = result[4]
    for status, old_url in result[5]:
        earlier = Response()
        earlier.status_code = status
        earlier.url = old_url
        response.history.append(earlier)
    response.encoding = _encoding_from_headers(response.headers)
    return response


def request(method, url, params=None, headers=None, timeout=None, allow_redirects=True, data=None, json=None,
            **kwargs):
    """Sends a request without a body (GET, HEAD, DELETE, OPTIONS) and returns its Response."""
    if data is not None or json is not None:
        raise NotImplementedError("mpsh's requests sends no request bodies (data=, json=): only GET, HEAD, DELETE and OPTIONS")
    return _make_response(method, url, params, headers, timeout, allow_redirects)


def get(url, params=None, **kwargs):
    return request('get', url, params=params, **kwargs)


def head(url, **kwargs):
    if 'allow_redirects' not in kwargs:
        kwargs['allow_redirects'] = False
    return request('head', url, **kwargs)


def options(url, **kwargs):
    return request('options', url, **kwargs)


def delete(url, **kwargs):
    return request('delete', url, **kwargs)


class Session:
    """A requests.Session: here each request has a connection of its own."""

    def __init__(self):
        self.headers = {}

    def request(self, method, url, **kwargs):
        headers = dict(self.headers)
        if kwargs.get('headers'):
            headers.update(kwargs['headers'])
        kwargs['headers'] = headers
        return request(method, url, **kwargs)

    def get(self, url, **kwargs):
        return self.request('get', url, **kwargs)

    def head(self, url, **kwargs):
        if 'allow_redirects' not in kwargs:
            kwargs['allow_redirects'] = False
        return self.request('head', url, **kwargs)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()
"""#
