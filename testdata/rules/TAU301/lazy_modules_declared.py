# An existing `__lazy_modules__` is extended; a module it lists already is not reported.
__lazy_modules__ = ["numpy"]

import numpy as np
import polars as pl


def f(x):
    return np.asarray(x), pl.DataFrame(x)
