import os
from .core import run
from .util import helper
from . import plugins as plugins

__all__ = ["helper"]
