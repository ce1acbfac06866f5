from typing import TYPE_CHECKING, Callable, Literal, TypeVar, Union, cast

if TYPE_CHECKING:
    from a import Request
    from b import Response
    from c import Handler
    from d import Bound
    from e import LiteralOnly
    from f import InFString
    from g import Nested

Handler_ = Callable[["Request"], "Response"]
T = TypeVar("T", bound="Bound")
Mode = Literal["LiteralOnly"]
message = f"{InFString}"


def run(x: "Union[int, 'Nested']") -> None:
    cast("Handler", x)
