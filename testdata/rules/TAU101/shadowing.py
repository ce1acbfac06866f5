import os
import os

os.getcwd()

import json
json = None

import pickle
pickle.dumps(1)
import pickle

import sys
del sys

import re
re = re.compile("x")

import logging


def configure():
    logging.basicConfig()


import time


def later():
    return datetime.now()


from datetime import datetime
