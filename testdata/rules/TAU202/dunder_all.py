from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pandas.io import formats, json

    # Listed in __all__ without a module __getattr__: `from pandas.io import *` needs them.
    __all__ = ["formats", "json"]
