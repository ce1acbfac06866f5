# Libraries that read annotations at run time: none of these imports may move (ruff, with its
# default settings, reports datetime, Decimal and UUID here).
from __future__ import annotations

import functools
from datetime import datetime
from decimal import Decimal
from uuid import UUID
from pathlib import Path

import attrs
import cattrs
from pydantic import BaseModel


class Event(BaseModel):
    when: datetime


class Sub(Event):
    amount: Decimal


@attrs.define
class Point:
    x: UUID


@functools.singledispatch
def show(x) -> None: ...


@show.register
def _(x: Path) -> None: ...


CONVERTER = cattrs.Converter()
