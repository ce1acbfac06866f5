# Removing every statement of a block in one pass, with comments between them (which keep
# the removals from touching, so they are applied together): the block must keep a `pass`.
class A:
    def f(self):
        # imports for later
        import os
        import sys

    def g(self):
        import os

        # trailing comment
        import sys

    def h(self):
        # why
        import json

    def i(self):
        import json
        # after


def j():
    # a
    import os
    # b
    import sys
    # c
