from urllib.parse import urlparse, urljoin
u = urlparse("https://user@example.com:8080/path/to/page.html;params?q=1&r=2#frag")
print(u.scheme, u.netloc, u.path, u.params, u.query, u.fragment, u.hostname, u.port)
print(urlparse("http://example.com"))
print(urljoin("http://example.com/a/b.html", "c.html"), urljoin("http://example.com/a/b.html", "/root"), urljoin("http://example.com/a/", "../x"))
