import pathlib
from pathlib import Path
from typing import Optional, Union


async def annotated(p: Path, q: pathlib.Path, r: Path | None, s: Optional[Path], t: "Path"):
    p.read_text()  # reported: the annotation gives the receiver's type
    q.exists()
    r.is_file()
    s.stat()
    t.iterdir()


async def others(u: Union[Path, None], v: str, w, x: "pathlib.Path" = None):
    u.unlink()  # reported
    v.strip()  # not a path
    w.read_text()  # unannotated: unknown type, not reported
    x.mkdir()  # reported
