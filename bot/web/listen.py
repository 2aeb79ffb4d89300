"""The listening socket of `putokaz serve`, bound before anything starts.

Binding first means a busy port is one clear error, not a start-up followed by a traceback.
"""

from __future__ import annotations

import errno
import socket


class PortInUse(Exception):
    """Another program listens on the port; the message names the setting that moves it."""


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host:port` (port 0: any free one), ready for aiohttp's `sock=`."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    # As aiohttp does for host/port: a restart does not wait for TIME_WAIT to clear.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"port {port} is in use — set PUTOKAZ_PORT (or --port), "
                f"e.g. PUTOKAZ_PORT={port + 1}"
            ) from None
        raise
    return sock


def browser_url(host: str, port: int) -> str:
    """The address to open in a browser on this machine for a socket bound to `host:port`."""
    if host in ("0.0.0.0", "::"):  # noqa: S104 — all interfaces: this machine answers on loopback
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"
