import multiprocessing as mp

if __name__ == '__main__':
    with mp.Manager() as m:
        d = m.dict()
        d['l'] = [1, 2]
        d['l'].append(3)
        print(d['l'])
        tmp = d['l']
        tmp.append(3)
        d['l'] = tmp
        print(d['l'])
        l = m.list([[0]])
        l[0].append(1)
        print(l)
        inner = l[0]; inner.append(1); l[0] = inner
        print(l)
