#!/usr/bin/env python3
"""The local web site the seeds' two crawlers crawl (the machine has no internet).

Generates a small site of linked "hosts" in a temporary folder and serves each host on its own port of
127.0.0.1 with Python's http.server (a host is a netloc, and the week-4 crawler collects netlocs: one port per
host gives it distinct ones). Prints the start URL (the first host's) on one line, then serves until standard
input closes or it is sent SIGTERM/SIGINT.

    python3 scripts/seeds/site/serve.py            # prints e.g. http://127.0.0.1:41234/
    SEEDS_SITE=http://127.0.0.1:41234/ mpsh scripts/seeds/week4/04-crawler.mp

The hosts mirror the sites the seeds crawled. Host 0 stands for the week-4 crawler's start
(www.sussex.ac.uk); its neighbours link back to it and on to hosts 4-7 and to hosts that are named but not
served (the crawler only collects those). No neighbour links to another neighbour, so the crawler's answer
does not depend on the order in which it visits them (that order follows a set's, which CPython randomises).
Host 0 also serves one page per site of the ProcessPoolExecutor crawler (chapter 5), at /<site>/, whose first
link is the one the seed's output shows for that site.
"""
import functools
import http.server
import os
import shutil
import signal
import sys
import tempfile
import threading

NAMES = [
    "www.sussex.ac.uk",      # 0: the start
    "www.bbc.co.uk",         # 1-3: its neighbours
    "www.python.org",
    "www.w3.org",
    "en.wikipedia.org",      # 4-7: the neighbours' neighbours
    "docs.python.org",
    "pymotw.com",
    "www.cs.uic.edu",
]

# The chapter-5 crawler's five sites: the first link each page shows, as in the seed's output.
EXECUTOR_SITES = {
    "www.google.com": "http://www.google.co.kr/imghp?hl=ko&amp;tab=wi",
    "br.bing.com": "javascript:void(0)",
    "duckduckgo.com": "/about",
    "github.com": "#start-of-content",
    "br.search.yahoo.com": "https://br.yahoo.com/",
}


# BeautifulSoup skips comments; the chapter-5 crawler's regex does not, so its pages have none.
COMMENT = '  <!-- a comment with <a href="http://commented.out/">a link</a> that is not one -->\n'


def page(title, links, comment=True):
    items = "\n".join('    <li><a href="%s">%s</a></li>' % (href, text) for href, text in links)
    return """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>%s</title></head>
<body>
  <h1>%s</h1>
%s  <p>A mirror of %s for the seed crawlers. <a name="top">An anchor without href.</a></p>
  <ul>
%s
  </ul>
</body>
</html>
""" % (title, title, COMMENT if comment else "", title, items)


def generate(root, ports):
    url = ["http://127.0.0.1:%d/" % p for p in ports]
    netloc = ["127.0.0.1:%d" % p for p in ports]
    sites = []
    for i, name in enumerate(NAMES):
        links = [("/about.html", "About"), ("mailto:webmaster@%s" % name, "Mail us")]
        if i == 0:
            links += [(url[1], NAMES[1]), (url[2] + "news/index.html", NAMES[2] + " news"),
                      ("https://%s/" % netloc[3], NAMES[3] + " (https)"), ("ftp://%s/" % netloc[4], "ftp only")]
        elif i in (1, 2, 3):
            links += [(url[0], "back to " + NAMES[0])]
            links += [(url[j], NAMES[j]) for j in (4, 5, 6, 7) if (i + j) % 2 == 0 or j == 7]
            links += [("http://unserved-%d.example/" % i, "a host nobody serves"),
                      ("HTTP://www.example.org/upper", "upper-case scheme")]
        else:
            links += [(url[0], NAMES[0])]
        d = os.path.join(root, str(i))
        os.makedirs(os.path.join(d, "news"))
        with open(os.path.join(d, "index.html"), "w") as f:
            f.write(page(name, links))
        with open(os.path.join(d, "news", "index.html"), "w") as f:
            f.write(page(name + " news", [(url[i], "home")]))
        with open(os.path.join(d, "about.html"), "w") as f:
            f.write(page("About " + name, [("/", "home")]))
        sites.append(d)
    for name, first in EXECUTOR_SITES.items():
        d = os.path.join(sites[0], name)
        os.makedirs(d)
        with open(os.path.join(d, "index.html"), "w") as f:
            f.write(page(name, [(first, "first"), ("/", "home"), (url[1], NAMES[1])], comment=False))
    return sites


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def main():
    lifetime = float(sys.argv[sys.argv.index("--lifetime") + 1]) if "--lifetime" in sys.argv else 600.0
    root = tempfile.mkdtemp(prefix="seeds-site-")
    servers = []
    try:
        # Bind every port first (port 0: the kernel picks a free one), then write pages that link to them.
        for i in range(len(NAMES)):
            servers.append(http.server.ThreadingHTTPServer(("127.0.0.1", 0), None))
        ports = [s.server_address[1] for s in servers]
        for s, d in zip(servers, generate(root, ports)):
            s.RequestHandlerClass = functools.partial(QuietHandler, directory=d)
            threading.Thread(target=s.serve_forever, daemon=True).start()
        print("http://127.0.0.1:%d/" % ports[0], flush=True)
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        signal.signal(signal.SIGINT, lambda *_: done.set())
        done.wait(lifetime)
    finally:
        for s in servers:
            s.server_close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
