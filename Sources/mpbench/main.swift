import Multiprocessing
print("mpbench: not built yet")
