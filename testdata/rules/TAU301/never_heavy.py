"""Never heavy, even when listed (a measured profile cannot make them heavy either): typing,
typing_extensions, __future__, collections (and so collections.abc), asyncio."""

from __future__ import annotations

import asyncio  # not reported: the async fixes import it back at module level
import collections  # not reported: imported before the program runs
import json  # reported: in heavy-modules
import typing  # not reported: the typing fixes import TYPE_CHECKING from it
from collections.abc import Mapping  # not reported
from typing_extensions import TypedDict  # not reported


def f(x):
    return json.dumps(x), typing.cast(int, x), collections.OrderedDict(), Mapping


def g(x):
    return TypedDict, asyncio.sleep(x)
