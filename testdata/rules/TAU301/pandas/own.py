"""A module of pandas (module name `pandas.own`): importing pandas' own modules is not deferred by
the built-in list, importing another heavy package still is."""

import numpy as np  # reported: numpy is another package
import pandas.core.frame  # not reported: pandas' own module
from pandas.io import formats  # not reported
from . import plotting  # not reported: relative, pandas' own


def f():
    return np.zeros(1), pandas.core.frame.DataFrame(), formats, plotting
