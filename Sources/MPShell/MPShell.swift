// The mpsh language: a Python subset interpreter. See issue 5.
import Multiprocessing
