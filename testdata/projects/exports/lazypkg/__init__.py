# Re-exports TAU302 would make lazy, and the two it must keep eager: `STATUS` is read by
# `lazypkg._sub` while this file is still importing, and `__version__` is also a submodule's name.
from ._core import STATUS as STATUS
from ._plots import plot as plot
from .__version__ import __version__
from ._sub import spawn as spawn

__all__ = ["STATUS", "__version__", "plot", "spawn"]
