# `app.slow` is heavy; `app.models` is not and stays eager. They are different modules of the
# package `app`, whose `__init__` is imported already: deferring `slow` saves its whole cost.
from . import models
from . import slow


def main():
    return slow.work(models.User())
