import multiprocessing as mp

if __name__ == '__main__':
    mp.set_start_method('fork')
    print(mp.get_start_method())
    try:
        mp.set_start_method('spawn')
    except RuntimeError as e:
        print("RuntimeError", e)
    mp.set_start_method('fork', force=True)
    print(mp.get_start_method())
