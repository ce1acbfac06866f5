"""Module docstring."""
from __future__ import annotations

import json
from collections import OrderedDict, defaultdict
from decimal import Decimal

CACHE = defaultdict(list)


def load(raw: str, kind: Decimal) -> OrderedDict[str, int]:
    return json.loads(raw)
