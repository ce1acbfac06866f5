"""Every use context: deferred (function bodies) versus needed while the module is imported."""

from __future__ import annotations

import json

import numpy as np  # reported: used only inside functions
import pandas  # not reported: a class body uses it
import scipy.stats  # not reported: a default value uses it
import sympy as sp  # not reported: a decorator uses it
import matplotlib.pyplot as plt  # not reported: module-level code uses it
from polars import DataFrame  # reported: functions, a method, a nested function
from pyarrow import Table  # not reported: a base class
from sklearn import svm  # not reported: exported in __all__
import torch  # not reported: a module-level lambda cannot hold an import
from xarray import Dataset  # reported: used in a function and in an annotation only

__all__ = ["svm", "mean"]

plt.switch_backend("Agg")

to_tensor = lambda x: torch.tensor(x)  # noqa: E731


def mean(values):
    """The mean."""
    return np.mean(values)


def frame(rows):
    def inner():
        return DataFrame(rows)

    return inner()


class Report(Table):
    columns = pandas.Index([])

    def build(self, rows):
        return DataFrame(rows)


def test(x, dist=scipy.stats.norm):
    return dist.pdf(x) + json.dumps(x)


@sp.vectorize
def symbolic(x):
    return x


def load(path) -> Dataset:
    return Dataset.from_dict(json.loads(path))
