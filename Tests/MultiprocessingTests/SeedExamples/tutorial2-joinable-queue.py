from multiprocessing import Process, JoinableQueue
import time
n_subscribers = 100

class Subscriber:
    def send(self, message):
        time.sleep(0.01) #time it takes for the subscriber to get the message
        return 0

def publisher(q, message):
    subscribers = []
    for _ in range(n_subscribers):
        subscribers.append(q.get())

    for sub in subscribers:
        if sub.send(message) != 0:
            pass  # do something
        else:
            q.task_done()


if __name__ == '__main__':
    message = "Hello world!"  # some message to send to all subscribers
    subscribers = [Subscriber() for _ in range(n_subscribers)]  # list of subscribers

    q = JoinableQueue()
    print("Begin broadcasting message")
    for sub in subscribers:
        q.put(sub)

    p = Process(target=publisher, args=(q, message))
    p.start()

    q.join()  # join on JoinableQueue q
    print("All subscribers received the message")
