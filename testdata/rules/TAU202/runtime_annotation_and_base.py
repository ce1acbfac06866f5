from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from a import A
def f(x: A): pass
class K(A): pass
