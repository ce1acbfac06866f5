"""A module that grew."""
import os
import re

__all__ = ["slugify", "read_config"]

_WORD = re.compile(r"\w+")


def slugify(text):
    return "-".join(split_words(text))


def split_words(text):
    return _WORD.findall(text.lower())


def title_words(text):
    return [w.title() for w in split_words(text)]


def read_config(path):
    with open(path) as f:
        return parse_config(f.read())


def parse_config(text):
    return dict(parse_line(line) for line in text.splitlines() if line)


def parse_line(line):
    key, _, value = line.partition("=")
    return key.strip(), value.strip()


def config_path(name):
    return os.path.join(os.getcwd(), name)


if __name__ == "__main__":
    print(slugify("Hello World"))
