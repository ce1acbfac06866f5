# A library that reads annotations at run time resolves quoted names too, from the module's
# globals: pydantic builds the model (and `model_rebuild()` rebuilds it) by evaluating "Meta".
# None of these imports may move under `if TYPE_CHECKING:`.
from typing import Annotated, Any, Union

from pydantic import BaseModel, Tag

from app.meta import Meta
from app.other import Other
from app.shapes import Circle
from app.typing_only import OnlyTyped


class Model(BaseModel):
    data: Annotated[Union[Annotated["Meta", Tag("Meta")], Annotated[Any, Tag("Any")]], "x"]
    other: "Other"
    shapes: list["Circle"]


def describe(value: "OnlyTyped") -> str:
    # A plain function's string annotation is read by no library: this one may move.
    return str(value)
