# traceback.print_exc to stderr from an error handler; the program goes on and ends normally
import traceback, sys

def parse(v):
    return int(v)

total = 0
for v in ['1', 'two', '3']:
    try:
        total += parse(v)
    except ValueError:
        print(traceback.format_exc().splitlines()[-1])
        print('skipped', v)
print('total', total)
