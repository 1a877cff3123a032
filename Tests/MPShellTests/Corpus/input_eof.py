try:
    line = input()
    print("got", line)
except EOFError as e:
    print("EOFError:", e)
