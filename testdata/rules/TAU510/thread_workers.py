from textual import work


class Browser:
    @work(thread=True)
    def load_directory(self, path):
        return open(path).read()  # runs in a worker thread: no caller waits for it

    @work(exclusive=True)
    def load_cached(self, path):
        return open(path).read()

    def raise_on_missing(self, path):
        if not path:
            open("log.txt", "a").write("missing\n")
            raise ValueError("no path")
        return path

    async def on_mount(self, path):
        self.load_directory(path)  # not reported: `@work(thread=True)` returns a worker at once
        self.load_cached(path)  # reported: not a thread worker
        self.raise_on_missing(path)  # TAU511: the write is on the way to an exception
