import signal
print(signal.SIGTERM, signal.SIGKILL, signal.SIGINT, int(signal.SIGUSR1))
def handler(signum, frame):
    pass
old = signal.signal(signal.SIGTERM, handler)
print(callable(handler))
