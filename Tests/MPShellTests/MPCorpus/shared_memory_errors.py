from multiprocessing import shared_memory

if __name__ == '__main__':
    try:
        shared_memory.SharedMemory(name="mpcorpus_no_such_block_x")
    except FileNotFoundError:
        print("FileNotFoundError")
    try:
        shared_memory.SharedMemory(create=True, size=0)
    except ValueError as e:
        print("ValueError", e)
    try:
        shared_memory.SharedMemory()
    except ValueError as e:
        print("ValueError", e)
