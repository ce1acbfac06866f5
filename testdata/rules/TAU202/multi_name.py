import typing

if typing.TYPE_CHECKING:
    from m import Hint, Needed, AlsoNeeded  # a comment stays


def f() -> "Hint":
    return Needed(AlsoNeeded)
