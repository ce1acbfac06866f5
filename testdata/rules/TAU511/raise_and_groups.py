import subprocess


def version_line(executable):
    return subprocess.run([executable, "-version"], capture_output=True).stdout


def failed(executable, code):
    # Builds the error: only when the tool already failed.
    return RuntimeError(f"{executable} exited {code}: {version_line(executable)}")


def dump(path, data):
    with open(path, "w") as f:
        f.write(data)


async def convert(code):
    if code != 0:
        raise failed("ffmpeg", code)
    failed("ffmpeg", code)  # TAU510: not raised here


class Store:
    single_file = True

    async def a(self):
        if not self.single_file:
            dump("a", "")

    async def b(self):
        if not self.single_file:
            dump("b", "")

    async def c(self):
        if not self.single_file:
            dump("c", "")

    async def d(self):
        if not self.single_file:
            dump("d", "")

    async def e(self):
        if not self.single_file:
            dump("e", "")

    async def f(self):
        if not self.single_file:
            dump("f", "")


def save(path):
    with open(path, "w") as f:
        f.write("")


class Other:
    async def a(self):
        if self.enabled:
            save("a")

    async def b(self):
        if self.enabled:
            save("b")

    async def c(self):
        if self.enabled:
            save("c")

    async def d(self):
        if self.enabled:
            save("d")

    async def e(self):
        if self.enabled:
            save("e")

    async def f(self):
        save("f")  # one call on the common path: the grouped finding is TAU510's
