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


def read_with(name, mode=None):
    if mode is not None:
        return open(name, mode).read()


def storage(finetuning, path):
    # A parameter with no default tested for truth: only a true argument opens the file.
    if finetuning:
        return open(path)
    return None


async def train(path):
    finetuning = False
    storage(finetuning, path)  # nothing: `finetuning` is False here
    storage(True, path)  # TAU510
    read_with(path, mode=None)  # nothing
    read_with(path, mode="")  # TAU510: "" is not None


async def falsy_arguments(path, trace_on):
    add_part("a", local_path=None)  # nothing: passed as None
    add_part("a", None, None)  # nothing: by position, as None
    trace = False
    keyword_only("n", trace=trace)  # nothing: `trace` is only ever False here
    keyword_only("n", trace=trace_on)  # TAU510: a parameter may be anything
    parts = {}
    for _ in range(2):
        build(path, attachments=parts)  # TAU510: `build` may fill `parts` for the next call
    extra = []
    extra.append(path)
    build(path, attachments=extra)  # TAU510: an item is added first
    nothing = ()
    build(path, attachments=nothing)  # nothing: an empty tuple stays empty
    chosen = None
    if path:
        chosen = path
    add_part("c", local_path=chosen)  # TAU510: bound to `path` too


async def in_comprehension(paths):
    p = None
    return [add_part("x", local_path=p) for p in paths]  # TAU510: the comprehension's own `p`


def read_text(path=None):
    # A keyword argument next to the parameter in a call is no rebinding of it.
    if path:
        return open(path, encoding="utf-8").read()
    return ""


async def keyword_next_to_parameter(path):
    read_text()  # nothing
    read_text(path)  # TAU510


def last_config(config=None):
    # The loop's tuple target binds `config` again: the test no longer tells what was passed.
    for name, config in [("default", "app.cfg")]:
        pass
    if config:
        return open(config).read()
    return ""


async def rebound_by_a_loop_target():
    last_config()  # TAU510
