"""A package whose heavy submodules stay imported by other names of the `__init__`."""

from .__version__ import __title__, __version__  # no fix: `__version__` keeps the submodule
from .models import Model  # no fix: `helper` below keeps `kept.models` imported
from .models import helper
from .plots.backend import draw  # fixed: both names from `kept.plots` are deferred together
from .plots import figure  # fixed
from .stats import mean  # fixed: nothing else loads `kept.stats`

__all__ = ["Model", "__title__", "__version__", "draw", "figure", "mean"]

DEFAULT = helper()
