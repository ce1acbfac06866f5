import os


def write_private(path, data):
    # The chain ends at the call that opens the file, not at the wrapping of its descriptor.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def wrap(fd):
    return os.fdopen(fd, "rb")


async def main(path, fd):
    write_private(path, b"x")  # TAU510: write_private -> os.open()
    wrap(fd)  # nothing: the descriptor is already open
