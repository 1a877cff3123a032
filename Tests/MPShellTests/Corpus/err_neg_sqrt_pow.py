print((-8) ** 0.5 if False else 'ok')
print(0 ** -1)
