# A PEP 695 `type` statement's value is evaluated on access (pydantic does): a run-time use, as in ruff.
from collections.abc import Callable
from decimal import Decimal

type Handler = Callable[[Decimal], None]
