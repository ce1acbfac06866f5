from __future__ import annotations

import typing_extensions
from typing import Sequence

from a import Exported, Global
from b import Unused


def handler():
    from c import Request

    def inner(request: Request) -> typing_extensions.Self: ...

    return inner


def uses_global():
    global Global

    def g(x: Global): ...


class Model:
    from d import Field

    def m(self, f: Field, s: Sequence[int]): ...


__all__ = ["Exported"]
