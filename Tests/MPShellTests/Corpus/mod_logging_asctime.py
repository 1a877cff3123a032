import logging
import re
class Capture:
    def __init__(self):
        self.lines = []
    def write(self, s):
        self.lines.append(s)
    def flush(self):
        pass
cap = Capture()
logger = logging.getLogger("t")
handler = logging.StreamHandler(cap)
handler.setFormatter(logging.Formatter("%(asctime)s|%(levelname)s|%(name)s|%(message)s"))
logger.addHandler(handler)
logger.setLevel(logging.DEBUG)
logger.debug("dbg %d", 1)
logger.info("info")
line = cap.lines[0]
print(repr(line[23:]), bool(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\|", line)), len(cap.lines))
