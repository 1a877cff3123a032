# re's flag constants, including UNICODE (the default for str patterns) and NOFLAG
import re
print(int(re.U), int(re.UNICODE), int(re.NOFLAG), int(re.I | re.M), int(re.ASCII))
print(re.findall(r"\w+", "héllo wörld", flags=re.UNICODE))
print(re.match(r"[a-z]+", "ABC", re.I | re.U).group())
