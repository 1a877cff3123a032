import multiprocessing

def worker(msg):
    print(multiprocessing.current_process(), " says ",msg)

def waitForWorkers(num,msg):
    processes = []
    for w in range(num):
        p = multiprocessing.Process(target=worker,args=(msg,))
        processes.append(p)
        p.start()
    for p in processes:
        p.join()

waitForWorkers(4,"hello world")
