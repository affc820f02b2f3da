"""LiveServer: an emulator app on 127.0.0.1 in a daemon thread, for tests and the dashboard's demo mode."""
from __future__ import annotations

import socket
import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


class LiveServer:
    """Serve a WSGI app on an ephemeral port so clients talk real HTTP to it."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. http://127.0.0.1:54321."""
        if self._server is None:
            raise RuntimeError("LiveServer is not started")
        return f"http://{self.host}:{self._server.server_port}"

    def start(self) -> str:
        """Bind, serve in a daemon thread (threaded, so concurrent clients really overlap) and return the URL."""
        if self._server is None:
            self._server = make_server(self.host, self.port, self.app, threaded=True)
            # A short poll interval makes stop() quick; tests start and stop many servers.
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                name=f"sandbox-{self._server.server_port}", daemon=True,
            )
            self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self._thread = None

    def __enter__(self) -> "LiveServer":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def free_port() -> int:
    """A loopback port nobody listens on right now, for a server started in another process."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
