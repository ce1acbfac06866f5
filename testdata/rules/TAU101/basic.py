import os
import sys
import json as j
import collections.abc
import xml.etree.ElementTree as ET
from typing import Any, Dict, List
from . import sibling
from .pkg import thing as renamed

print(sys.argv, Dict)


def f() -> List[int]:
    import shutil
    import re
    return re.compile("x")
