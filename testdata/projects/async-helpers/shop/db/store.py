import sqlite3

from ..config import backoff


class Store:
    def __init__(self, path):
        self.path = path

    def connect(self):
        return sqlite3.connect(self.path)

    def count(self):
        return self.connect().execute("select count(*) from items").fetchone()

    @classmethod
    def retrying(cls, path):
        backoff(1)
        return cls(path)


def quick_sum(values):
    return sum(values)
