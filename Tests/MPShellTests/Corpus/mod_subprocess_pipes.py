# subprocess: a pipeline of two processes (ls | sort -r style) and line-by-line reading of a child's output
import subprocess

p1 = subprocess.Popen(['printf', 'c\\na\\nb\\n'], stdout=subprocess.PIPE)
p2 = subprocess.Popen(['sort', '-r'], stdin=p1.stdout, stdout=subprocess.PIPE, text=True)
p1.stdout.close()
out, _ = p2.communicate()
print(repr(out), p1.wait(), p2.returncode)
with subprocess.Popen(['sh', '-c', 'for i in 1 2 3; do echo line $i; done'], stdout=subprocess.PIPE, text=True) as proc:
    for line in proc.stdout:
        print('got:', line.rstrip())
print(proc.returncode)
r = subprocess.run(['wc', '-c'], input=b'12345', stdout=subprocess.PIPE)
print(r.stdout.strip(), r)
