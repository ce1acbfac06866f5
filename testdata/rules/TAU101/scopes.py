import math


class Model:
    import decimal

    def area(self, r):
        import cmath
        return math.pi * r * r


def outer():
    import string

    def inner():
        return string.ascii_letters

    return inner


squares = [math.sqrt(v) for v in range(3)]
handler = lambda: textwrap.dedent("")
import textwrap


def uses_global():
    global uuid
    import uuid
