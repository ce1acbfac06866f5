from typing import (
    Any,  # used below
    Callable,  # not used
    Dict,
    Optional,
)
from typing import (Iterable, Iterator,
                    Mapping)
from os.path import join, \
    exists

x: Any = None
y: Dict[str, int] = {}
z = Iterator
print(join)
