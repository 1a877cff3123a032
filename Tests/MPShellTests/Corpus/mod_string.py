import string
print(string.ascii_lowercase, string.digits, string.ascii_uppercase[:5], len(string.punctuation))
print(string.ascii_letters[-3:])
