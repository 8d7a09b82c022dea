"""Refuse requests that name another site: a page elsewhere that rebinds its own DNS name
to this machine (so its requests carry ``Host: evil.example``), or that posts to the UI
from a foreign ``Origin``, could otherwise ingest files and read exports through it."""
from __future__ import annotations

import contextlib
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
_ANY_ADDRESS = ("0.0.0.0", "::", "")

Asgi = Callable[[dict[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def allowed_hosts(bound: str) -> frozenset[str]:
    """Host names a request may carry: localhost and the bound address; for a bind to
    every interface, also this machine's name and the addresses it resolves to."""
    names = {*LOCAL_NAMES, bound.lower()}
    if bound in _ANY_ADDRESS:
        machine = socket.gethostname()
        names |= {machine.lower(), socket.getfqdn(machine).lower()}
        with contextlib.suppress(OSError):
            names |= {str(info[4][0]).lower() for info in socket.getaddrinfo(machine, None)}
    return frozenset(names - {""})


def host_name(netloc: str) -> str | None:
    """``example.org`` of ``example.org:7860``; ``::1`` of ``[::1]:7860``."""
    try:
        return urlsplit("//" + netloc).hostname
    except ValueError:
        return None


class HostGuard:
    """ASGI middleware: a request whose Host (or Origin, when sent) is not an allowed name
    gets 403 (a websocket is closed) before it reaches the app."""

    def __init__(self, app: Asgi, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    def _allowed(self, headers: dict[bytes, bytes]) -> bool:
        if host_name(headers.get(b"host", b"").decode("latin-1")) not in self.hosts:
            return False
        origin = headers.get(b"origin")
        # "null" comes from sandboxed frames and files: another page, never the UI itself
        return origin is None or host_name(urlsplit(origin.decode("latin-1")).netloc) in self.hosts

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] not in ("http", "websocket") or self._allowed(dict(scope["headers"])):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = b"forbidden: unknown Host or Origin\n"
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
