a = 1; b = 2; c = a + b; print(c)
total = (1 +
         2 +
         3)
long = 1 + \
    2
items = [
    1,
    2,
    3,
]
d = {
    "k": "v",
}
print(total, long, items, d, "implicit" "concat", ("multi"
       "line"))
if a == 1 and \
   b == 2:
    print("continued condition")
