# A BaseManager started and never shut down: the program's end shuts it down (CPython's start() registers its
# shutdown as a finalizer that runs before the children are joined), so the program ends promptly, its server
# process with it; a Listener with a path, never closed, has its socket file removed then too.
import os
import multiprocessing
from multiprocessing.connection import Listener
from multiprocessing.managers import BaseManager


class Account:
    def __init__(self, owner):
        self.owner = owner
        self.entries = []

    def deposit(self, amount):
        self.entries.append(amount)
        return sum(self.entries)

    def statement(self):
        return "%s: %s" % (self.owner, self.entries)


class Bank(BaseManager):
    pass


Bank.register("Account", Account)


def spend(account):
    account.deposit(-3)


if __name__ == "__main__":
    bank = Bank()
    bank.start()
    account = bank.Account("ada")
    print(account.deposit(10), account.deposit(5))
    p = multiprocessing.Process(target=spend, args=(account,))
    p.start()
    p.join()
    print(account.statement())
    print("server:", bank._process.name.startswith("Bank-"), bank._process.is_alive())
    print([p.name for p in multiprocessing.active_children()] == [bank._process.name])
    # named pymp-* in TMPDIR: the corpus fails a program that leaves such a name behind
    listener = Listener(os.path.join(os.environ.get("TMPDIR", "/tmp"), "pymp-never-closed-%d" % os.getpid()))
    print("listening:", os.path.exists(listener.address))
    print("the end, without shutdown()")
