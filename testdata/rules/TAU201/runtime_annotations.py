# Without the future import, signature annotations run when the function is defined.
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, cast

from app.models import Quoted, Local

if TYPE_CHECKING:
    from app.models import Already


def f(x: Decimal) -> "Quoted":
    y: Local = cast("Fraction", x)
    z: Already
    return y
