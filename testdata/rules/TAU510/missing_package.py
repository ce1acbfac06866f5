import importlib.util
import subprocess
import sys
from importlib.util import find_spec


def ensure_package(pkg):
    # Installs on demand: pip runs only when the package is missing, not on a working install.
    if not importlib.util.find_spec(pkg):
        subprocess.check_call([sys.executable, "-m", "pip", "install", pkg])


def ensure_both():
    if find_spec("torch") is None or find_spec("transformers") is None:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "torch", "transformers"])


def when_installed(pkg):
    # Runs on a working install: TAU510's, not TAU511's.
    if find_spec(pkg) is not None:
        subprocess.check_call([sys.executable, "-m", pkg, "--version"])


async def make_provider(name):
    ensure_package(name)
    ensure_both()
    when_installed(name)
