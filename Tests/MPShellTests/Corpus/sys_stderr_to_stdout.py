# sys.stderr = sys.stdout: warnings of the program, traceback.print_exc and the message of an uncaught
# SystemExit all come out on stdout, in order with what the program prints
import sys
import traceback

sys.stderr = sys.stdout
print('start')
print('to stderr, now stdout', file=sys.stderr)
try:
    {}['missing']
except KeyError:
    traceback.print_exc(limit=0)
sys.stderr.write('direct\n')
print('end')
sys.exit('exiting with a message')
