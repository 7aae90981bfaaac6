"""A small threaded TCP proxy to put between a client and a real server, and break on purpose.

    proxy = TcpProxy("127.0.0.1", 5000).start()   # listens on proxy.port
    proxy.cut_after(20 << 20)                        # down (refusing) after 20 MiB sent upstream
    proxy.stop(); proxy.start()                      # down, then up again on the same port
    proxy.fail_next(2)                               # the next 2 connections get an HTTP 503
    proxy.drop_connections()                         # reset the open connections

`sent` counts the bytes that went from clients to the server, `received` the other way.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable

SLOW_DOWN = (b"HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n"
             b"Connection: close\r\n\r\n%s")
SLOW_DOWN_BODY = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                  b"<Message>Please reduce your request rate.</Message></Error>")


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int, port: int = 0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = port
        self.sent = 0
        self.received = 0
        self.connections = 0
        self.refused_with_503 = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._cut_at: int | None = None
        self._restart_after: float | None = None
        self._fail_next = 0
        self._threads: list[threading.Thread] = []
        self.on_cut: Callable[[], None] | None = None

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Refuse new connections and reset every open one (what a dead endpoint looks like)."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def reset_counts(self) -> None:
        with self._lock:
            self.sent = self.received = self.connections = 0

    def cut_after(self, sent_bytes: int, restart_after: float | None = None) -> None:
        """Stop once `sent_bytes` more bytes went upstream; start again after `restart_after` s."""
        with self._lock:
            self._cut_at = self.sent + sent_bytes
            self._restart_after = restart_after

    def fail_next(self, count: int) -> None:
        """Answer the next `count` connections with an S3 '503 Slow Down' (open ones are closed)."""
        with self._lock:
            self._fail_next = count
        self.drop_connections()

    def drop_connections(self) -> None:
        """Reset every open connection (a network hiccup); new ones are accepted as before."""
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    # -- inside ----------------------------------------------------------------------------------
    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    return
                self.connections += 1
                refuse = self._fail_next > 0
                if refuse:
                    self._fail_next -= 1
                    self.refused_with_503 += 1
            if refuse:
                threading.Thread(target=self._slow_down, args=(client,), daemon=True).start()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=10)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, server))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _slow_down(self, client: socket.socket) -> None:
        with contextlib.suppress(OSError):
            client.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = client.recv(65536)
                if not chunk:
                    break
                data += chunk
            client.sendall(SLOW_DOWN % (len(SLOW_DOWN_BODY), SLOW_DOWN_BODY))
        client.close()

    def _pump(self, source: socket.socket, target: socket.socket, upstream: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                cut = False
                with self._lock:
                    if upstream:
                        if self._cut_at is not None and self.sent + len(data) >= self._cut_at:
                            data = data[:max(0, self._cut_at - self.sent)]
                            cut = True
                        self.sent += len(data)
                    else:
                        self.received += len(data)
                if data:
                    target.sendall(data)
                if cut:
                    self._cut()
                    return
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            with self._lock:
                self._sockets.discard(source)
                self._sockets.discard(target)

    def _cut(self) -> None:
        with self._lock:
            self._cut_at = None
            restart = self._restart_after
        self.stop()
        if self.on_cut is not None:
            self.on_cut()
        if restart is not None:
            timer = threading.Timer(restart, self.start)
            timer.daemon = True
            timer.start()
