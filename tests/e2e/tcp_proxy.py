"""A TCP proxy between the browser and the app that can drop the line for real: reset the open connections and refuse
new ones, or let requests through and lose some answers (the server did the work; the phone never hears of it).

The browser's offline switch only tells the page it is offline; a real drop is a connection that breaks mid-way or
cannot be made, and that is what the quick-log's outbox must survive.
"""

from __future__ import annotations

import socket
import struct
import threading
from contextlib import suppress

FORWARD, DOWN, LOSE_ANSWERS = "forward", "down", "lose-answers"


def _reset(sock: socket.socket) -> None:
    """Close with an RST rather than a FIN (SO_LINGER 0): the peer sees 'connection reset', as on a broken line.

    A thread blocked in recv() on the socket would keep it open past close(); shutting its reading side first wakes
    that thread (recv returns b"") without telling the peer anything, so the close is the last and sends the RST."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RD)
    with suppress(OSError):
        sock.close()


class TcpProxy:
    """Listens on 127.0.0.1:port and forwards to 127.0.0.1:upstream_port, a thread per direction per connection."""

    def __init__(self, upstream_port: int, port: int) -> None:
        self.upstream_port = upstream_port
        self.port = port
        self.mode = FORWARD
        self.bytes_sent = 0  # browser to app
        self.bytes_received = 0  # app to browser
        self.requests_seen = 0  # requests starting with _lose_to, while losing answers
        self.answers_lost = 0
        self._lose_to = b""
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- the switch -----------------------------------------------------------------------------------------

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        self.mode = FORWARD
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def down(self) -> None:
        """The line drops: every open connection is reset and nobody listens, so a new one is refused."""
        self.mode = DOWN
        if self._listener is not None:
            listener, self._listener = self._listener, None
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self._reset_all()

    def up(self) -> None:
        """The line is back: listen again on the same port, forward as before."""
        if self._listener is None:
            self.start()
        self.mode = FORWARD

    def lose_answers(self, to: bytes) -> None:
        """Requests reach the app; the answer to every second request starting with `to` (b"POST /api/...") is
        thrown away and its connection reset, so the client must send it again."""
        self.up()
        self._lose_to = to
        self._reset_all()  # kept-alive connections would otherwise carry on as before
        self.mode = LOSE_ANSWERS

    def stop(self) -> None:
        self.down()

    # --- the plumbing ---------------------------------------------------------------------------------------

    def _reset_all(self) -> None:
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _reset(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # the listener was closed: the line is down
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)  # the app is not running: as a refused connection would look to the browser
                continue
            with self._lock:
                self._open.update((client, upstream))
            connection = {"lose": False}
            threading.Thread(target=self._pump, args=(client, upstream, connection, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, connection, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, connection: dict[str, bool], asking: bool) -> None:
        """Copy one direction of a connection; asking: the browser's side (requests), else the app's (answers)."""
        lost = False
        try:
            while data := source.recv(65536):
                if asking and self.mode == LOSE_ANSWERS and self._lose_to and data.startswith(self._lose_to):
                    with self._lock:
                        self.requests_seen += 1
                        connection["lose"] = self.requests_seen % 2 == 1
                elif not asking and connection["lose"]:
                    with self._lock:
                        self.answers_lost += 1
                    lost = True
                    break
                target.sendall(data)
                with self._lock:
                    if asking:
                        self.bytes_sent += len(data)
                    else:
                        self.bytes_received += len(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.discard(source)
                self._open.discard(target)
            if lost:
                _reset(target)
                _reset(source)
            else:
                with suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
