import os
from pathlib import Path


def add_part(name, content_type=None, local_path=None, data=None):
    # The file is looked at only when the caller gives `local_path`.
    if local_path is not None:
        if not Path(local_path).exists():
            raise FileNotFoundError(local_path)
    return name, data


def set_options(form):
    # Never passes `local_path`: never reaches the disk.
    return add_part("field", data=form)


def upload(form, path):
    return add_part("file", local_path=path)


def read_settings(path=None):
    # `path` is given a value when missing: the test no longer tells what the caller passed.
    if path is None:
        path = "settings.ini"
    if path:
        return open(path).read()


def keyword_only(name, *, trace=False):
    if trace:
        os.path.exists(name)


def build(message, attachments=None):
    # An attribute of the same name is no rebinding of the parameter.
    if attachments:
        message.attachments = [os.path.isfile(p) for p in attachments]
    return message


def resolve(config=None, config_file=None):
    if config is not None:
        return config
    elif config_file is not None:
        return open(config_file).read()


class Mime:
    def addpart(self, name, local_path=None):
        if local_path:
            os.path.exists(local_path)

    async def build(self, path):
        self.addpart("a")  # nothing
        self.addpart("b", path)  # TAU510: the position after `self`


async def handler(form, path, args, kwargs):
    add_part("a", data=b"x")  # nothing: `local_path` not passed
    set_options(form)  # nothing
    upload(form, path)  # TAU510
    add_part("a", None, path)  # TAU510: by position
    add_part(*args)  # TAU510: anything may be passed
    add_part("a", **kwargs)  # TAU510
    read_settings()  # TAU510: rebound, so not a gate
    keyword_only("n")  # nothing
    keyword_only("n", trace=True)  # TAU510
    build(form)  # nothing
    resolve(config={})  # nothing: the file is read only in the `elif` on `config_file`
    resolve(None, path)  # TAU510
