"""A package whose __init__ re-exports from heavy submodules (configured as heavy below)."""

from . import plots  # reported: the heavy submodule itself
from .core import Engine  # not reported: `core` is light
from .models import Model, train as fit  # reported twice: `models` is heavy
from .reports import summary  # not reported: used by the __init__ itself

__all__ = ["Engine", "Model", "fit", "plots"]

DEFAULT = summary()
