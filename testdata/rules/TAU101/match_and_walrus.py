import enum
import dataclasses
import functools
from http import HTTPStatus


def handle(status):
    match status:
        case HTTPStatus.OK:
            return 1
        case enum:
            return enum
    if (cached := functools.lru_cache):
        return cached
