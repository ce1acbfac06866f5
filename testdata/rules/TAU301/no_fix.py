try:
    import pandas as pd  # not reported: bound twice (guarded by try/except ImportError)
except ImportError:
    pd = None

import numpy as np  # reported, no fix: the body shares the line of the def
import sympy  # reported, no fix: declared global in a function


def f(x): return np.asarray(x)


def g():
    global np_unused, sympy
    return sympy.Symbol("x"), pd
