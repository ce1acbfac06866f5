import json
import time


def read_config(path):
    with open(path) as f:
        return json.load(f)


def load_settings(path):
    settings = read_config(path)
    settings["loaded"] = True
    return settings


def pure(x):
    return x * 2


def ping_forever():
    # A cycle that never blocks: the search ends and reports nothing.
    return pong_forever()


def pong_forever():
    return ping_forever()


def backoff(n):
    time.sleep(n)
