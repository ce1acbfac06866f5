from __future__ import annotations

import json
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

import homeassistant.core as ha
from homeassistant.core import Event


def total(price: Decimal, path: Path, event: Event) -> Any:
    ha.callback(print)
    return PurePath(path), json.dumps(price)


def local_annotation() -> None:
    counts: OrderedDict[str, int] = {}
    print(counts)
