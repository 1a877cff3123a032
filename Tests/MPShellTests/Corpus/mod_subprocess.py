# subprocess: run with capture_output/text/input/check, return codes, check_output, Popen pipes and communicate
import subprocess, sys

r = subprocess.run(['echo', 'hello', 'world'], capture_output=True)
print(r.returncode, r.stdout, r.stderr, r.args)
r = subprocess.run(['sh', '-c', 'echo out; echo err >&2; exit 3'], capture_output=True, text=True)
print(r.returncode, repr(r.stdout), repr(r.stderr))
print(subprocess.run(['tr', 'a-z', 'A-Z'], input='shout\n', capture_output=True, text=True).stdout)
print(subprocess.run('echo $((6 * 7))', shell=True, stdout=subprocess.PIPE).stdout)
print(subprocess.check_output(['printf', '%s-%s', 'a', 'b']), subprocess.call(['true']), subprocess.call(['false']))
print(subprocess.run(['sh', '-c', 'echo both; echo e >&2'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout)
print(subprocess.run(['cat'], input=b'x' * 200000, capture_output=True).stdout == b'x' * 200000)
print(subprocess.run(['pwd'], cwd='/', capture_output=True, text=True).stdout.strip())
print(subprocess.run(['sh', '-c', 'echo $MPSH_TEST_VAR'], env={'MPSH_TEST_VAR': 'from env', 'PATH': '/usr/bin:/bin'},
                     capture_output=True, text=True).stdout.strip())
print(subprocess.run(['ls', '/nonexistent-dir'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode)
with subprocess.Popen(['sort'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as p:
    out, err = p.communicate('b\nc\na\n')
print(repr(out), err, p.returncode)
p = subprocess.Popen(['sh', '-c', 'echo line1; echo line2'], stdout=subprocess.PIPE)
print([line for line in p.stdout], p.wait())
p = subprocess.Popen(['sleep', '5'])
p.kill()
print(p.wait(), p.poll())
print(subprocess.getoutput('echo hi'), subprocess.getstatusoutput('exit 2'))
