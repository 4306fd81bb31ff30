"""One workload for Python's diskcache, in its own process, exactly as workloads.mjs
runs it for the JavaScript systems: the same functions, calls, sizes and timing.

Usage: /usr/bin/python3 diskcache_workloads.py <workload> <cacheDir>   -> prints one JSON line.
A float64 array is Python's array('d') (the standard library has no Float64Array).
"""
import json
import math
import random
import sys
import time
from array import array

from diskcache import Cache

workload, cache_dir = sys.argv[1:]
CALLS = 2000
LARGE = 10_000_000
cache = Cache(cache_dir)
now = time.perf_counter


def small(x, y):
    return {'x': x, 'sum': x + y, 'list': [x] * 10}


def big_argument():
    return {f'group{g}': {f'leaf{l}': g * 100 + l + 0.5 for l in range(100)} for g in range(100)}


if workload == 'sweep':
    # W1 (all misses) in a fresh cache, W2 (all hits) in the next process.
    f = cache.memoize(name='small')(small)
    started = now()
    for i in range(CALLS):
        f(i, i * 0.5)
    result = {'usPerCall': (now() - started) * 1e6 / CALLS}
elif workload in ('large-write', 'large-read'):
    large_result = array('d', (random.random() for _ in range(LARGE)))
    f = cache.memoize(name='large')(lambda: large_result)
    started = now()
    value = f()
    seconds = now() - started
    right = isinstance(value, array) and value.typecode == 'd' and len(value) == LARGE
    result = {'mbPerSecond': LARGE * 8 / 1e6 / seconds if right else math.nan}
elif workload == 'big-argument':
    # W4: a nested 100 x 100 object argument; time per hit after the first call stored it.
    f = cache.memoize(name='bigArgument')(lambda config: len(config))
    argument = big_argument()
    f(argument)
    hits = 200
    started = now()
    for _ in range(hits):
        f(argument)
    result = {'usPerCall': (now() - started) * 1e6 / hits}
else:
    raise SystemExit(f'unknown workload {workload}')
cache.close()
# A wrong result is reported as null, as workloads.mjs does.
print(json.dumps({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in result.items()}))
