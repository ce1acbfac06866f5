import os  # noqa
import sys  # noqa: F401
import re  # noqa: TAU101
import json  # noqa: E501
from typing import (  # noqa: F401
    Any,
    Dict,
)
import abc  # NOQA:F401,E402
