import multiprocessing as mp
import queue

if __name__ == '__main__':
    print(issubclass(mp.TimeoutError, mp.ProcessError), issubclass(mp.AuthenticationError, mp.ProcessError))
    print(mp.TimeoutError.__name__, mp.ProcessError.__name__, queue.Empty.__name__, queue.Full.__name__)
    try:
        raise mp.TimeoutError("too slow")
    except mp.ProcessError as e:
        print(type(e).__name__, e)
    raise queue.Full
