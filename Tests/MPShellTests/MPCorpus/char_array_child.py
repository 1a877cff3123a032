# Array('c') shared with a child: .value (up to the first NUL) and .raw (every byte), written in the child.
import multiprocessing


def shout(buf):
    buf.value = buf.value.upper() + b"!"


if __name__ == "__main__":
    buf = multiprocessing.Array('c', 16)
    buf.value = b"hello"
    print(buf.value, len(buf.raw), buf.raw[:8])
    p = multiprocessing.Process(target=shout, args=(buf,))
    p.start()
    p.join()
    print(buf.value, buf.raw[:8], buf[0], buf[:3])
    with buf.get_lock():
        buf.raw = b"x" * 16
    print(buf.value, len(buf))
    try:
        buf.value = b"y" * 17
    except ValueError as e:
        print("ValueError:", e)
