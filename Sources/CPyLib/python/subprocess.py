"""Subprocesses with accessible I/O streams, as CPython's subprocess for POSIX: run, call, check_call,
check_output, getoutput, getstatusoutput and Popen (pipes, capture_output, input, text, check, timeout, cwd, env,
shell), with CPython's exceptions and messages. Programs start with posix_spawn; pipes are moved with poll(2)
(the native _subprocess module), so a child writing much to both stdout and stderr never stalls."""

import os
import signal
import _subprocess

__all__ = ["Popen", "PIPE", "STDOUT", "DEVNULL", "call", "check_call", "getstatusoutput", "getoutput",
           "check_output", "run", "CalledProcessError", "SubprocessError", "TimeoutExpired", "CompletedProcess"]

PIPE = -1
STDOUT = -2
DEVNULL = -3


def _signal_name(number):
    for name in sorted(dir(signal)):
        if name.startswith('SIG') and not name.startswith('SIG_') and getattr(signal, name) == number:
            return name
    return None


class SubprocessError(Exception):
    pass


class CalledProcessError(SubprocessError):
    """Raised when run() is called with check=True and the process returns a non-zero exit status."""

    def __init__(self, returncode, cmd, output=None, stderr=None):
        self.returncode = returncode
        self.cmd = cmd
        self.output = output
        self.stderr = stderr

    def __str__(self):
        if self.returncode and self.returncode < 0:
            name = _signal_name(-self.returncode)
            if name is not None:
                return "Command '%s' died with <Signals.%s: %d>." % (self.cmd, name, -self.returncode)
            return "Command '%s' died with unknown signal %d." % (self.cmd, -self.returncode)
        return "Command '%s' returned non-zero exit status %d." % (self.cmd, self.returncode)

    @property
    def stdout(self):
        return self.output

    @stdout.setter
    def stdout(self, value):
        self.output = value


class TimeoutExpired(SubprocessError):
    """Raised when the timeout expires while waiting for a child process."""

    def __init__(self, cmd, timeout, output=None, stderr=None):
        self.cmd = cmd
        self.timeout = timeout
        self.output = output
        self.stderr = stderr

    def __str__(self):
        return "Command '%s' timed out after %s seconds" % (self.cmd, self.timeout)

    @property
    def stdout(self):
        return self.output


class CompletedProcess:
    def __init__(self, args, returncode, stdout=None, stderr=None):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        args = ['args={!r}'.format(self.args), 'returncode={!r}'.format(self.returncode)]
        if self.stdout is not None:
            args.append('stdout={!r}'.format(self.stdout))
        if self.stderr is not None:
            args.append('stderr={!r}'.format(self.stderr))
        return "{}({})".format(type(self).__name__, ', '.join(args))

    def check_returncode(self):
        if self.returncode:
            raise CalledProcessError(self.returncode, self.args, self.stdout, self.stderr)


class _PipeFile:
    """The parent's end of a child's pipe, as a file: bytes, or text when the Popen was opened in text mode."""

    def __init__(self, fd, mode, text):
        self.fd = fd
        self.mode = mode
        self.text = text
        self.closed = False
        self._buf = b''

    def fileno(self):
        return self.fd

    def write(self, data):
        if self.text:
            data = data.encode()
        n = 0
        while n < len(data):
            n += os.write(self.fd, data[n:])
        return len(data)

    def flush(self):
        pass

    def _fill(self):
        chunk = os.read(self.fd, 65536)
        self._buf += chunk
        return chunk

    def read(self, n=-1):
        if n is None or n < 0:
            while self._fill():
                pass
            data, self._buf = self._buf, b''
        else:
            while len(self._buf) < n and self._fill():
                pass
            data, self._buf = self._buf[:n], self._buf[n:]
        return data.decode() if self.text else data

    def readline(self):
        while b'\n' not in self._buf and self._fill():
            pass
        i = self._buf.find(b'\n')
        if i < 0:
            data, self._buf = self._buf, b''
        else:
            data, self._buf = self._buf[:i + 1], self._buf[i + 1:]
        return data.decode() if self.text else data

    def readlines(self):
        lines = []
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def close(self):
        if not self.closed:
            self.closed = True
            os.close(self.fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _text_mode(text, universal_newlines, encoding, errors):
    return bool(text or universal_newlines or encoding or errors)


class Popen:
    """Execute a child program in a new process."""

    def __init__(self, args, bufsize=-1, executable=None, stdin=None, stdout=None, stderr=None, preexec_fn=None,
                 close_fds=True, shell=False, cwd=None, env=None, universal_newlines=None, startupinfo=None,
                 creationflags=0, restore_signals=True, start_new_session=False, pass_fds=(), *, user=None,
                 group=None, extra_groups=None, encoding=None, errors=None, text=None, umask=-1, pipesize=-1,
                 process_group=None):
        self.args = args
        self.text_mode = _text_mode(text, universal_newlines, encoding, errors)
        self.returncode = None
        self.stdin = self.stdout = self.stderr = None
        if isinstance(args, (str, bytes)) or hasattr(args, '__fspath__'):
            argv = [os.fspath(args) if not isinstance(args, bytes) else args.decode()]
        else:
            argv = [os.fspath(a) if not isinstance(a, bytes) else a.decode() for a in args]
        if shell:
            argv = ['/bin/sh', '-c'] + argv
            if executable is None:
                executable = '/bin/sh'
        parent_ends = []
        child_ends = []

        def child_fd(spec, for_input):
            if spec is None:
                return -1, None
            if spec == PIPE:
                r, w = os.pipe()
                if for_input:
                    child_ends.append(r)
                    parent_ends.append(w)
                    return r, _PipeFile(w, 'wb', self.text_mode)
                child_ends.append(w)
                parent_ends.append(r)
                return w, _PipeFile(r, 'rb', self.text_mode)
            if spec == DEVNULL:
                fd = os.open(os.devnull, os.O_RDWR)
                child_ends.append(fd)
                return fd, None
            if isinstance(spec, int):
                if spec < 0:
                    raise ValueError("bad value for a standard stream: %r" % spec)
                return spec, None
            return spec.fileno(), None

        try:
            in_fd, self.stdin = child_fd(stdin, True)
            out_fd, self.stdout = child_fd(stdout, False)
            if stderr == STDOUT:
                err_fd, self.stderr = (out_fd if out_fd >= 0 else 1), None
            else:
                err_fd, self.stderr = child_fd(stderr, False)
            if stdout is not None and not isinstance(stdout, int) and hasattr(stdout, 'flush'):
                stdout.flush()
            self.pid = _subprocess.spawn(argv, executable, env, cwd, in_fd, out_fd, err_fd)
        except BaseException:
            for fd in parent_ends:
                try:
                    os.close(fd)
                except OSError:
                    pass
            raise
        finally:
            for fd in child_ends:
                os.close(fd)

    def __repr__(self):
        return "<Popen: returncode: {} args: {!r}>".format(self.returncode, self.args)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, value, traceback):
        for f in (self.stdout, self.stderr):
            if f is not None:
                f.close()
        if self.stdin is not None:
            self.stdin.close()
        self.wait()
        return False

    def poll(self):
        if self.returncode is None:
            self.returncode = _subprocess.poll_status(self.pid)
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is not None:
            return self.returncode
        code = _subprocess.wait(self.pid, timeout)
        if code is None:
            raise TimeoutExpired(self.args, timeout)
        self.returncode = code
        return code

    def communicate(self, input=None, timeout=None):
        if input is not None and self.text_mode and isinstance(input, str):
            input = input.encode()
        if input and self.stdin is None:
            raise ValueError("Cannot send input after starting communication")
        in_fd = self.stdin.fd if self.stdin is not None and not self.stdin.closed else -1
        out_fd = self.stdout.fd if self.stdout is not None and not self.stdout.closed else -1
        err_fd = self.stderr.fd if self.stderr is not None and not self.stderr.closed else -1
        out, err, finished = _subprocess.communicate(in_fd, input, out_fd, err_fd, timeout)
        if in_fd >= 0:
            self.stdin.closed = True
        if self.stdout is not None:
            out = self.stdout._buf + out
            self.stdout._buf = b''
        if self.stderr is not None:
            err = self.stderr._buf + err
            self.stderr._buf = b''
        if not finished:
            raise TimeoutExpired(self.args, timeout, output=out, stderr=err)
        for f in (self.stdout, self.stderr):
            if f is not None:
                f.close()
        self.wait(timeout)
        if self.text_mode:
            out = out.decode() if out is not None else None
            err = err.decode() if err is not None else None
        return (out if self.stdout is not None else None, err if self.stderr is not None else None)

    def send_signal(self, sig):
        if self.returncode is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


def call(*popenargs, timeout=None, **kwargs):
    with Popen(*popenargs, **kwargs) as p:
        try:
            return p.wait(timeout=timeout)
        except BaseException:
            p.kill()
            raise


def check_call(*popenargs, **kwargs):
    retcode = call(*popenargs, **kwargs)
    if retcode:
        cmd = kwargs.get("args")
        if cmd is None:
            cmd = popenargs[0]
        raise CalledProcessError(retcode, cmd)
    return 0


def check_output(*popenargs, timeout=None, **kwargs):
    if 'stdout' in kwargs:
        raise ValueError('stdout argument not allowed, it will be overridden.')
    if 'input' in kwargs and kwargs['input'] is None:
        kwargs['input'] = '' if kwargs.get('universal_newlines') or kwargs.get('text') or kwargs.get('encoding') \
            or kwargs.get('errors') else b''
    return run(*popenargs, stdout=PIPE, timeout=timeout, check=True, **kwargs).stdout


def run(*popenargs, input=None, capture_output=False, timeout=None, check=False, **kwargs):
    if input is not None:
        if kwargs.get('stdin') is not None:
            raise ValueError('stdin and input arguments may not both be used.')
        kwargs['stdin'] = PIPE
    if capture_output:
        if kwargs.get('stdout') is not None or kwargs.get('stderr') is not None:
            raise ValueError('stdout and stderr arguments may not be used with capture_output.')
        kwargs['stdout'] = PIPE
        kwargs['stderr'] = PIPE
    with Popen(*popenargs, **kwargs) as process:
        try:
            stdout, stderr = process.communicate(input, timeout=timeout)
        except TimeoutExpired as exc:
            process.kill()
            process.wait()
            if process.text_mode:
                exc.output = exc.output.decode() if exc.output is not None else None
                exc.stderr = exc.stderr.decode() if exc.stderr is not None else None
            raise
        except BaseException:
            process.kill()
            raise
        retcode = process.poll()
        if check and retcode:
            raise CalledProcessError(retcode, process.args, output=stdout, stderr=stderr)
    return CompletedProcess(process.args, retcode, stdout, stderr)


def getstatusoutput(cmd, *, encoding=None, errors=None):
    try:
        data = check_output(cmd, shell=True, text=True, stderr=STDOUT, encoding=encoding, errors=errors)
        exitcode = 0
    except CalledProcessError as ex:
        data = ex.output
        exitcode = ex.returncode
    if data[-1:] == '\n':
        data = data[:-1]
    return exitcode, data


def getoutput(cmd, *, encoding=None, errors=None):
    return getstatusoutput(cmd, encoding=encoding, errors=errors)[1]
