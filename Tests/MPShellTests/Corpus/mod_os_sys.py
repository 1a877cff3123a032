import os
import sys
print(isinstance(os.getpid(), int), os.getpid() > 0, os.getppid() > 0, os.getpid() != os.getppid())
print(os.cpu_count() >= 1, os.getenv("MPSH_SURELY_UNSET_VAR"), os.getenv("MPSH_SURELY_UNSET_VAR", "dflt"))
print("PATH" in os.environ, os.path.join("a", "b", "c.txt"), os.path.basename("/x/y/z.py"), os.path.dirname("/x/y/z.py"))
print(os.path.splitext("archive.tar.gz"), os.sep, os.name)
print(len(sys.argv) >= 1, sys.version_info[0], sys.platform, sys.maxsize > 2 ** 31)
sys.stdout.write("written directly\n")
sys.stdout.flush()
print("to stderr", file=sys.stderr)
print("end")
