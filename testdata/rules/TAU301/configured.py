import yaml  # reported: in heavy-modules
from requests import Session  # reported: in heavy-modules
import numpy as np  # reported: the built-in list (no profile here)


def load(text):
    return yaml.safe_load(text), np.zeros(1)


def get(url):
    with Session() as s:
        return s.get(url)
