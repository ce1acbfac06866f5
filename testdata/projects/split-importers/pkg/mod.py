"""Text helpers."""
import re

from . import other
from .other import BASE

__all__ = ["slugify", "parse_line", "VERSION"]

VERSION = "1.0"

_WORD = re.compile(r"\w+")


def slugify(text):
    return "-".join(split_words(text))


def split_words(text):
    return _WORD.findall(text.lower())


def title_words(text):
    return [w.title() for w in split_words(text)]


def parse_line(line):
    key, _, value = line.partition("=")
    return key.strip(), value.strip() + BASE


def parse_lines(text):
    return [parse_line(line) for line in text.splitlines() if line]


def parse_scaled(line):
    key, value = parse_line(line)
    return key, other.scale(value)


LOADED_AS = __name__


if __name__ == "__main__":
    print(slugify("Run as a script"))
