from __future__ import annotations

import json
import os
from pathlib import Path

from pkg.text import clean_name


def normalise(name):
    return clean_name(name)


def dump(data) -> str:
    return json.dumps(data)


def where(path: Path) -> str:
    return str(path)
