# PEP 810 allows `lazy` only on statements directly at module level: none of these gets a fix.
try:
    import numpy as np
except ImportError:
    np = None

with open(__file__):
    import scipy

if True:
    import pandas as pd


class C:
    import sympy

    def m(self):
        return self.sympy


def f(x):
    import polars
    return np.asarray(x), scipy, pd, polars
