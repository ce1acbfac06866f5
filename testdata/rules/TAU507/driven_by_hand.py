# A sync client over async code: its coroutines are run by hand, never on an event loop.
import socket


class BlockingConnection:
    async def connect(self, host, port):
        return socket.getaddrinfo(host, port)  # not reported: no event loop runs this


class Client:
    def _iter_coroutine(self, coro):
        try:
            coro.send(None)
        except StopIteration as done:
            return done.value

    def connect(self, host, port):
        return self._iter_coroutine(BlockingConnection().connect(host, port))
