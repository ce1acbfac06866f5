import os
import time
from pathlib import Path

from app import config, settings

PREFECT_SERVER_EPHEMERAL_ENABLED = False
DEBUG = False


def start_server():
    time.sleep(1)


def get_client(api):
    # The ephemeral server starts only when a setting (off by default) turns it on.
    if not api and PREFECT_SERVER_EPHEMERAL_ENABLED:
        start_server()
    elif not api:
        raise ValueError("no API URL")


def static_folder():
    if config.get_option("server.enableStaticServing"):
        return os.path.isdir("static")


def debug_dump(data):
    if DEBUG or settings.TRACE:
        with open("dump.txt", "w") as f:
            f.write(data)


def from_env():
    if os.environ.get("APP_PROFILE") == "1":
        time.sleep(1)


def elif_branch(kind):
    if kind == "a":
        return None
    elif settings.SLOW_PATH:
        time.sleep(1)


class Notifier:
    allow_private_urls = True

    def validate(self):
        if not self.allow_private_urls:
            time.sleep(1)

    def either(self, path):
        if path or self.strict:
            time.sleep(1)  # TAU510: `path` alone takes the branch

    def read(self, path):
        if path.exists():
            time.sleep(1)  # TAU510: not a setting

    def call(self):
        if self.enabled():
            time.sleep(1)  # TAU510: a method call, not a flag

    async def send(self, path):
        self.validate()
        self.either(path)  # TAU510
        self.read(path)  # TAU510
        self.call()  # TAU510


async def main(api):
    get_client(api)
    static_folder()
    debug_dump("x")
    from_env()
    elif_branch("b")


def setup_file_paths():
    # Resolves only the entries of an opt-in environment variable (empty unless set): TAU511's.
    return [Path(f).resolve() for f in os.environ.get("SETUP_FILES", "").split(os.pathsep) if f]


def plugin_dirs():
    for entry in os.getenv("PLUGIN_DIRS", "").strip().split(","):
        os.path.isdir(entry)


DEFAULT_DIRS = ["plugins", "extensions"]


def default_dirs():
    # A constant list is not empty: still TAU510's.
    for entry in DEFAULT_DIRS:
        os.path.isdir(entry)


async def run_setup_hooks():
    setup_file_paths()
    plugin_dirs()
    default_dirs()
