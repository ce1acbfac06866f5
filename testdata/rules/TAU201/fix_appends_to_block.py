from __future__ import annotations

import typing
from pathlib import Path

if typing.TYPE_CHECKING:
    from collections.abc import Iterator


def walk(root: Path) -> Iterator[Path]:
    yield from ()
