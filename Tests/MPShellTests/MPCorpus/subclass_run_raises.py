import multiprocessing as mp

class Failing(mp.Process):
    def run(self):
        raise ValueError("failed in " + self.name)

if __name__ == '__main__':
    f = Failing()
    f.start()
    f.join()
    print(f.name, f.exitcode)
    print(f)
