import os.path
import shutil
from pathlib import Path


async def ready(path):
    if os.path.exists(path) and os.path.isfile(path):
        shutil.copy(path, path + ".bak")
    text = Path(path).read_text()
    os.path.join(path, "x")  # pure string work: not reported
    return text
