"""Imports the split module every way."""
from typing import TYPE_CHECKING

import pkg.mod
from pkg.mod import slugify, VERSION
from .mod import (
    parse_line as parse,
    title_words,
)
from .mod import *

if TYPE_CHECKING:
    from .mod import split_words


def use():
    from pkg.mod import parse_lines, LOADED_AS

    return (
        slugify("A b"),
        parse("a=b"),
        title_words("x y"),
        parse_lines("a=1"),
        pkg.mod.split_words("Q"),
        VERSION,
        LOADED_AS,
    )
