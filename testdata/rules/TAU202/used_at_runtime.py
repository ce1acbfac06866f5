from __future__ import annotations
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from a import A
    from b import B
    from c import C
    from d import D
    import e
else:
    D = None

def f(x: A) -> B:
    return B()

print(C)

def g():
    return e.thing

def h() -> "C": ...
print(D)
