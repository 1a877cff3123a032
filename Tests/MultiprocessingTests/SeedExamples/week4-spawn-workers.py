import multiprocessing

def worker(msg):
    print(multiprocessing.current_process(), " says ",msg)
    
def spawnWorkers(num,msg):
    for w in range(num):
        p = multiprocessing.Process(target=worker,args=(msg,))
        p.start()

spawnWorkers(4,"Hello World")
