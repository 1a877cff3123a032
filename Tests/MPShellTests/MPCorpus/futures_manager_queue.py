import concurrent.futures
from multiprocessing import Manager

def take(urls, result_dict):
    url = urls.get(True, 5)
    result_dict[url] = len(url)

if __name__ == '__main__':
    manager = Manager()
    urls = manager.Queue()
    for u in ['a', 'bb', 'ccc']:
        urls.put(u)
    result_dict = manager.dict()
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as ex:
        for i in range(urls.qsize()):
            ex.submit(take, urls, result_dict)
    print(sorted(result_dict.items()))
