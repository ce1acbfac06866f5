from __future__ import annotations
import os
import os.path as osp
import a.b
from typing import TYPE_CHECKING, Sequence
from . import sibling

if TYPE_CHECKING:
    from collections.abc import Mapping

    def checker(x: Mapping) -> None:
        y = x
        return y

__all__ = ["helper", "Model"]
counter = 0


class Base(pydantic.BaseModel):
    field: Mapping


def helper(a: int, *args: str, b=os.sep, **kw) -> Sequence[int]:
    global counter
    counter += 1
    value: Mapping = {}
    total = [n for n in args if n]
    lam = lambda q: q + a
    if TYPE_CHECKING:
        import typing
    try:
        import json
    except ImportError:
        json = None

    class Local(Base):
        name: "Sequence[str]"

        def method(self):
            return self.name, value

    def nested():
        nonlocal value
        value = osp.join("x", a.b.c)
        return nested

    with open(a) as handle, sibling.ctx() as (m, n):
        print(handle, m, n)
    match value:
        case {"k": captured}:
            del captured
        case [first, *rest]:
            return rest
    while (found := total.pop()):
        print(found)
    return total, lam, json, typing


async def fetch(url):
    data = os.read(url)
    helper(data)
    await other()

    async def inner():
        return time.sleep(1)

    return data


class Model:
    def one(self, x: "Mapping[str, int]") -> Model:
        def deep():
            return [lambda: x for x in range(3)]
        return deep

    @staticmethod
    def two():
        return Model().one(None)

    async def three(self):
        self.one(os.getcwd())
