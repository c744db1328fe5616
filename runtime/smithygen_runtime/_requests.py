"""The ``httpx.Request`` of each call, built for the client's httpx client, and its id."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from ._loops import HttpClientForLoop

__all__ = ["RequestFactory", "invocation_id", "request_headers"]

# The methods httpx gives a "Content-Length: 0" when they carry no body.
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def invocation_id() -> str:
    """A random (version 4) UUID in its text form: the call's amz-sdk-invocation-id.

    What ``str(uuid.uuid4())`` gives, from the same ``os.urandom`` bytes, at
    about half its cost (no UUID object, no int round trip).
    """
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def request_headers(
    method: str, url: httpx.URL, headers: Mapping[str, str], body: bytes
) -> list[tuple[Any, Any]]:
    """``headers`` with the Host and Content-Length that httpx adds to a request
    with ``content=body``, in the places it adds them.

    httpx's ``Request(content=...)`` encodes the body into a stream, looks each
    of these up in its header list and builds the list again (about 12 us a
    call here); the request is built from a ready stream instead, with the
    headers it would have had: Host first (unless given), Content-Length of
    a non-empty body last (unless given), "Content-Length: 0" first for a
    POST, PUT or PATCH without a body and without a length or
    Transfer-Encoding. tests/runtime/test_requests.py compares the result
    with httpx's own, header by header.
    """
    present = {name.lower() for name in headers}
    pairs: list[tuple[Any, Any]] = list(headers.items())
    if body and "content-length" not in present:
        pairs.append(("Content-Length", str(len(body))))
        present.add("content-length")
    front: list[tuple[Any, Any]] = []
    if "host" not in present and url.host:
        front.append((b"Host", url.netloc))
    if (
        "content-length" not in present
        and "transfer-encoding" not in present
        and method.upper() in _BODY_METHODS
    ):
        front.append((b"Content-Length", b"0"))
    return front + pairs if front else pairs


class RequestFactory:
    """Builds the ``httpx.Request`` of each call for the client's httpx client.

    ``AsyncClient.build_request`` merges the client's default headers,
    cookies, base URL and query parameters on every call. The runtime's own
    httpx clients (one per event loop, all made alike) have none of these
    but their default headers, so their requests are built directly, with
    those headers merged once (``default_headers``) and the timeouts as the
    request's extension: about 20 us less per call here; an in-memory body
    goes in as a ready stream with the headers ``request_headers`` gives it,
    about 12 us less again. A request is not tied to a loop; the client for
    the running loop sends it. An injected client's requests go through its
    ``build_request``, so whatever it was configured with applies.
    """

    __slots__ = (
        "_byte_stream",
        "_extension",
        "_http",
        "_owned",
        "_request",
        "_timeout",
    )

    def __init__(self, http: HttpClientForLoop, timeout: Any) -> None:
        import httpx

        self._http = http
        self._owned = http.owned
        self._timeout = timeout
        self._request = httpx.Request
        self._byte_stream = httpx.ByteStream
        template = http.client
        # httpx reads the request's "timeout" extension and never changes it.
        self._extension = template.timeout.as_dict() if template is not None else {}

    @property
    def default_headers(self) -> dict[str, str]:
        """The owned httpx clients' default headers (none for an injected client)."""
        template = self._http.client
        return dict(template.headers) if self._owned and template is not None else {}

    def __call__(
        self,
        method: str,
        url: httpx.URL,
        headers: dict[str, str],
        content: bytes | AsyncIterable[bytes],
        extensions: dict[str, Any] | None = None,
    ) -> httpx.Request:
        """The request; ``extensions`` travel with it (a streamed body's source)."""
        if not self._owned:
            return self._http.for_running_loop().build_request(
                method,
                url,
                headers=headers,
                content=content,
                timeout=self._timeout,
                extensions=extensions,
            )
        extensions = {"timeout": self._extension, **(extensions or {})}
        if not isinstance(content, bytes):
            # A streamed body: httpx chooses Content-Length or chunked itself.
            return self._request(
                method, url, headers=headers, content=content, extensions=extensions
            )
        request = self._request(
            method,
            url,
            headers=request_headers(method, url, headers, content),
            stream=self._byte_stream(content),
            extensions=extensions,
        )
        request.read()  # the body as request.content, as content= leaves it
        return request
