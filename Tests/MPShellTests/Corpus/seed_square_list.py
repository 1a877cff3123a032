def square_list(mylist, result):
    for idx, num in enumerate(mylist):
        result[idx] = num * num
    print("Result(in process p1): {}".format(result))
mylist = [1, 2, 3, 4]
result = [0] * 4
square_list(mylist, result)
print("Result(in main program): {}".format(result[:]))
def worker(num):
    """thread worker function"""
    print('Worker:', num)
for i in range(5):
    worker(i)
