# With `quote-annotations = true` (see quote_annotations.toml), imports whose only run-time uses are
# annotations Python evaluates can move too: the fix quotes those annotations.
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from pydantic import BaseModel


def total(price: Decimal, ratio: Fraction = None) -> list[Decimal]:
    return [price]


class Config(BaseModel):
    root: Path
