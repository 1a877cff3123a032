# subprocess: text mode and encodings, returncode of a shell pipeline, stderr kept separate, check_call
import subprocess

r = subprocess.run('echo héllo | tr a-z A-Z; echo warn >&2', shell=True, capture_output=True, text=True)
print(repr(r.stdout), repr(r.stderr), r.returncode)
print(subprocess.check_call(['true']), subprocess.run(['sh', '-c', 'exit 5']).returncode)
out = subprocess.check_output('printf "%s\\n" b a c | sort', shell=True, text=True)
print(out.splitlines())
r = subprocess.run(['cat'], input='line1\nline2\n', stdout=subprocess.PIPE, universal_newlines=True)
print(r.stdout.count('\n'), type(r.stdout).__name__)
