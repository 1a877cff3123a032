# Put on PYTHONPATH by SeedExampleTests for the examples that sleep for seconds: scales every time.sleep by
# MP_EXAMPLES_TIME_SCALE, as mp-examples does, so that CPython and Swift run the same programs faster.
# Forked children inherit the patch.
import os
import time

_scale = float(os.environ.get("MP_EXAMPLES_TIME_SCALE", "1"))
_sleep = time.sleep


def _scaled_sleep(seconds):
    _sleep(seconds * _scale)


time.sleep = _scaled_sleep
