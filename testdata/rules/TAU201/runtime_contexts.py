# Each import (from its own module) is used in exactly one context; the snapshot shows which ones may move (typing only)
# and which may not (read at run time). Without the future import, Python evaluates signatures and
# module- and class-level variable annotations.
import functools
from typing import TYPE_CHECKING, TypeAlias, TypeVar, cast

from m_in_cast_string import InCastString
from m_in_string_annotation import InStringAnnotation
from m_in_local_annotation import InLocalAnnotation
from m_in_type_checking_block import InTypeCheckingBlock
from m_in_type_var_bound_string import InTypeVarBoundString
from m_in_signature import InSignature
from m_in_module_annotation import InModuleAnnotation
from m_in_class_annotation import InClassAnnotation
from m_in_cast import InCast
from m_in_base import InBase
from m_in_decorator import InDecorator
from m_in_default import InDefault
from m_in_type_var_bound import InTypeVarBound
from m_in_alias import InAlias
from m_in_type_alias_value import InTypeAliasValue
from m_in_isinstance import InIsinstance
from m_in_single_dispatch import InSingleDispatch

if TYPE_CHECKING:
    Pair = tuple[InTypeCheckingBlock, int]

module_level: InModuleAnnotation = None
T = TypeVar("T", bound=InTypeVarBound)
S = TypeVar("S", bound="InTypeVarBoundString")
Alias = InAlias | None
Explicit: TypeAlias = InTypeAliasValue


class Model(InBase):
    field: InClassAnnotation = None


@InDecorator
def signature(x: InSignature = InDefault) -> "InStringAnnotation":
    local: InLocalAnnotation = cast(InCast, x)
    cast("InCastString", x)
    return isinstance(x, InIsinstance) and local


@functools.singledispatch
def show(x) -> None: ...


@show.register
def _(x: InSingleDispatch) -> None: ...
