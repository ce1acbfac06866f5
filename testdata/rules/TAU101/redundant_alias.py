import os as os
from collections import OrderedDict as OrderedDict
from . import helpers as helpers
import sys as system
