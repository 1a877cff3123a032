import random,time,multiprocessing

def workThatCPU(numLoops):
    id = multiprocessing.current_process()
    # Print that this process is executing at this time
    # YOUR CODE HERE
    # Insert code that captures the current time in milliseconds
    # YOUR CODE HERE
    
    for w in range(numLoops):
        random.random()
    # Print the execution time of the process
    #YOUR CODE HERE

def coreInvestigation(numCores, numLoops):
    processes = []
    for w in range(numCores):
        p = multiprocessing.Process(target=workThatCPU,args=(numLoops,))
        processes.append(p)
        p.start()
    for p in processes:
        p.join()

coreInvestigation(1,100000000)
