class Account:
    def __init__(self, balance=0):
        self.balance = balance
    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("Deposit must be positive")
        self.balance += amount
    def withdraw(self, amount):
        if amount > self.balance:
            raise ValueError(f"Insufficient funds: balance {self.balance}, requested {amount}")
        self.balance -= amount
acct = Account(100)
for op, amt in [("deposit", 50), ("withdraw", 30), ("withdraw", 500), ("deposit", -5)]:
    try:
        getattr(acct, op)(amt)
        print(op, amt, "->", acct.balance)
    except ValueError as e:
        print("error:", e)
