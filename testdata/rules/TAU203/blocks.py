from typing import TYPE_CHECKING
import typing
if TYPE_CHECKING:
    ...
if typing.TYPE_CHECKING:
    pass
if TYPE_CHECKING:
    pass
    pass
def f():
    if TYPE_CHECKING:
        pass
