try:
    import ujson as json
except ImportError:
    import json

try:
    import yaml
except ImportError:
    yaml = None

try:
    import tomllib
except ModuleNotFoundError:
    pass

try:
    import lxml
except Exception:
    pass

if True:
    import bisect

if False:
    import heapq
else:
    import array
    print(1)

def g():
    import abc

import a; import b; print(b)
import c; print(c)
print(json)
