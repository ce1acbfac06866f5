# Each case below was a disagreement with ruff found on real packages, now fixed.
from __future__ import annotations

import matplotlib as mpl
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict
from typing_extensions import ParamSpec, TypeAlias

if TYPE_CHECKING:
    import typing_extensions as te
    from prompt_toolkit.shortcuts import PromptSession
    from typing_extensions import Required
    from m import Process

# pydantic: the value of an explicit type alias is a type.
_Like: TypeAlias = "ParamSpec | None"

# jinja2: escapes inside a string annotation.
NEWLINE: "te.Literal['\\n', '\\r\\n']" = "\n"

# moto: the functional TypedDict form holds types in its dict values.
Pattern = TypedDict("Pattern", {"detail-type": "Required[str]"})


# networkx: `mpl.colors` uses the submodule imported next to the alias.
def draw():
    import matplotlib as mpl
    import matplotlib.colors

    return mpl.colors


class Options:
    # docker stubs: a bare annotation does not bind, so `Path` is the import.
    Path: Path


class Pool:
    # typeshed: a deferred signature does not see the class's own names.
    def Process(self) -> Process: ...


# prompt_toolkit: a deferred signature does not see the function's locals.
def more_session() -> PromptSession[bool]:
    from prompt_toolkit.shortcuts import PromptSession

    return PromptSession()


# django-stubs: nor its parameters.
def rfc2822(date: date) -> str: ...
