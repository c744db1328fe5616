"""Which ``Host`` header values the emulator answers to.

A web page can make a browser send requests to a loopback port under a name
the attacker controls (DNS rebinding: ``evil.example`` resolved to 127.0.0.1).
The browser then writes ``Host: evil.example:PORT``, so answering only to the
names this server is reached by when used as intended closes that door:
``localhost``, a loopback address, the address the connection arrived on, and
whatever names the operator adds (``Settings.allowed_hosts``), each with the
port the connection arrived on (RFC 9110 section 7.2: the port may be omitted
only when it is the scheme's default, 80 for http).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from .errors import ApiError

__all__ = ["ANY_HOST", "check_host"]

#: An ``allowed_hosts`` entry that turns the check off.
ANY_HOST = "*"
_PORT = re.compile(r"[0-9]{1,5}")
_SHOWN = 100  # characters of a refused Host value quoted in the message


def check_host(
    values: Sequence[str],
    server: tuple[str, int] | None,
    allowed: Sequence[str],
) -> None:
    """Raise ``ApiError`` unless exactly one Host names this server.

    ``values`` are the request's Host header values, ``server`` the local
    (address, port) the connection arrived on, ``allowed`` the extra names
    (``NAME`` for any port, ``NAME:PORT`` for one port, or ``*``).
    """
    if ANY_HOST in allowed:
        return
    if len(values) != 1:
        raise _misdirected(
            f"A request must carry exactly one Host header; this one has {len(values)}."
        )
    value = values[0].strip()
    parsed = _split_host(value.lower())
    if parsed is not None:
        name, port = parsed
        if _names_this_server(name, port, server, allowed, value.lower()):
            return
    served = f"localhost:{server[1]}" if server else "localhost"
    raise _misdirected(
        f"The Host header {value[:_SHOWN]!r} does not name this emulator (it "
        f"answers to {served} and loopback addresses; add other names with "
        "--allowed-host)."
    )


def _split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` from ``name[:port]`` or ``[v6][:port]``; None if malformed."""
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket:
            return None
    else:
        name, _, port_part = value.partition(":")
        rest = value[len(name) :]
        if ":" in port_part:  # an IPv6 literal must be bracketed
            return None
    if not name:
        return None
    if not rest:
        return name, None
    if not rest.startswith(":") or not _PORT.fullmatch(rest[1:]):
        return None
    return name, int(rest[1:])


def _names_this_server(
    name: str,
    port: int | None,
    server: tuple[str, int] | None,
    allowed: Sequence[str],
    whole: str,
) -> bool:
    if any(entry.lower() in (whole, name) for entry in allowed):
        return True
    if server is not None and (port or 80) != server[1]:
        return False
    if name == "localhost":
        return True
    address = _ip(name)
    if address is None:
        return False
    return address.is_loopback or (server is not None and address == _ip(server[0]))


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _misdirected(message: str) -> ApiError:
    # 421 Misdirected Request (RFC 9110 section 15.5.20): this server is not
    # the one the request names.
    return ApiError("MisdirectedRequestException", message, status=421)
