"""HTTP bindings (http-bindings.rst): everything of a message that is not its body.

The REST protocols (restJson1, restXml) share these rules: the ``@http``
method and URI with its labels and constant query string, ``@httpQuery`` and
``@httpQueryParams``, ``@httpHeader`` and ``@httpPrefixHeaders``, the
``@httpPayload`` member and ``@httpResponseCode``. A protocol module asks
``bind_request`` for the URL path, query and headers of an input, and
``read_bound_members`` for the header- and status-bound members of a
response; it writes and reads the body itself. Generated code describes
each operation with ``HttpBinding`` / ``HttpMember`` (``_specs``).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attrs

from ._client_protocol import ClientProtocol
from ._errors import (
    ConfigurationError,
    ResponseParseError,
    ValidationError,
    wrong_input_type,
)
from ._serde import (
    TimestampFormat,
    parse_timestamp,
    parse_timestamp_epoch,
    serialize_timestamp,
)
from ._specs import HttpBinding, HttpMember, OperationSpec

if TYPE_CHECKING:
    import httpx

    from ._errors import ServiceError
    from ._specs import ServiceSpec

__all__ = [
    "BoundRequest",
    "bind_input",
    "bind_request",
    "bound_value_error",
    "format_value",
    "http_binding",
    "parse_header_value",
    "payload_member",
    "read_bound_members",
    "set_bound_error_members",
    "split_header_list",
]

# "{Name}" or "{Name+}" in an @http uri.
_LABEL = re.compile(r"\{([^}+]+)(\+?)\}")


@attrs.define
class BoundRequest:
    """The parts of a request its HTTP bindings decide.

    ``target`` is the path and query string, percent-encoded; ``body``
    the serialized document less the bound members; ``payload`` the
    ``@httpPayload`` member (None when the operation has none) and
    ``payload_value`` its value (None when unset).
    """

    target: str
    headers: dict[str, str]
    body: dict[str, Any]
    payload: HttpMember | None = None
    payload_value: Any = None


def payload_member(members: tuple[HttpMember, ...]) -> HttpMember | None:
    """The ``@httpPayload`` member among ``members``, if any."""
    for member in members:
        if member.location == "payload":
            return member
    return None


# --- values as text -----------------------------------------------------------------

_DEFAULT_TIMESTAMP: dict[str, TimestampFormat] = {
    "header": "http-date",
    "query": "date-time",
    "label": "date-time",
}


def format_value(member: HttpMember, value: Any, location: str) -> str:
    """One value of a label, query parameter or header, as the spec writes it.

    Timestamps default to http-date in headers and date-time elsewhere
    ("httpHeader serialization rules", "httpQuery": timestampFormat).
    """
    kind = member.kind
    if kind == "timestamp":
        fmt = member.timestamp_format or _DEFAULT_TIMESTAMP[location]
        return str(serialize_timestamp(value, fmt))
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "integer":
        return str(int(value))
    if kind == "float":
        return _format_float(float(value))
    if kind == "decimal":
        return str(Decimal(value))
    if kind == "blob":
        return base64.b64encode(value).decode("ascii")
    if kind == "json_string" and location == "header":
        # A @mediaType string (JSON) in a header is base64 encoded.
        return base64.b64encode(str(value).encode("utf-8")).decode("ascii")
    # A StrEnum member is a str; str() of a plain str is itself.
    return value.value if hasattr(value, "value") else str(value)


def _format_float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _header_list(member: HttpMember, values: list[Any]) -> str:
    """A list header: values joined by ", "; a string holding a comma or a
    double quote is quoted, its quotes escaped (RFC 9110 quoted-string).

    http-date timestamps hold commas but are never quoted: a reader splits
    them back by their fixed shape.
    """
    parts = []
    for item in values:
        text = format_value(member, item, "header")
        if member.kind in ("string", "json_string") and ("," in text or '"' in text):
            text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(text)
    return ", ".join(parts)


# --- requests -----------------------------------------------------------------------


def http_binding(operation: OperationSpec[Any, Any]) -> HttpBinding:
    """The operation's ``@http`` binding; a client generated without one is refused."""
    if operation.http is None:
        raise ConfigurationError(
            f"{operation.name} has no HTTP binding (@http): regenerate the client"
        )
    return operation.http


class HttpBindingProtocol(ClientProtocol):
    """What restJson1 and restXml share: members bound to the URI, headers and status.

    A streamed output (S3's GetObject, Lambda's response stream) is read the
    same way in both: the bound members from the status and headers, the
    body left unread as the output's stream.
    """

    async def deserialize_stream(
        self, operation: OperationSpec[Any, Any], response: httpx.Response
    ) -> tuple[Any, Mapping[str, Any]]:
        """The bound members, and the body as the output's stream."""
        from ._http_streaming import bound_output_with_stream

        request_id = self.request_id(response.headers)
        return bound_output_with_stream(
            self.service, operation, http_binding(operation), response, request_id
        )


def bind_input(
    binding: HttpBinding,
    input: Any,
    document: Mapping[str, Any],
    *,
    label_defaults: Mapping[str, str] | None = None,
) -> BoundRequest:
    """``bind_request``, with a wrong-typed value reported as a ValidationError."""
    try:
        return bind_request(binding, input, document, label_defaults=label_defaults)
    except ValidationError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:
        raise wrong_input_type(exc) from None


def bind_request(
    binding: HttpBinding,
    input: Any,
    document: Mapping[str, Any],
    *,
    label_defaults: Mapping[str, str] | None = None,
) -> BoundRequest:
    """The path, query and headers of ``input``; the body members left in ``body``.

    ``document`` is the input serialized with every member (wire keys);
    the bound ones are taken out of it and written from the input's
    Python values. ``label_defaults`` fills labels left unset or empty (a
    service customization: Glacier's account id "-").
    """
    body = dict(document)
    labels: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    query_params: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    bound = BoundRequest("", headers, body)
    for member in binding.input:
        body.pop(member.key, None)
        value = getattr(input, member.attr) if input is not None else None
        location = member.location
        if location == "label":
            labels[member.name] = _label_text(member, value, label_defaults)
        elif location == "payload":
            bound.payload, bound.payload_value = member, value
        elif value is None:
            continue
        elif location == "query":
            query.extend(_query_pairs(member, value))
        elif location == "query_params":
            query_params.extend(_query_map_pairs(member, value))
        elif location == "header":
            text = (
                _header_list(member, value)
                if member.list_of
                else format_value(member, value, "header")
            )
            headers[member.name] = _header_safe(member.attr, text)
        elif location == "prefix_headers":
            for suffix, item in value.items():
                name = _header_safe(f"{member.attr} (key)", member.name + suffix)
                text = format_value(member, item, "header")
                headers[name] = _header_safe(f"{member.attr}[{suffix!r}]", text)
    # httpQuery wins over an httpQueryParams entry of the same key
    # (http-bindings.rst, "httpQueryParams trait").
    taken = {key for key, _ in query}
    query += [(key, item) for key, item in query_params if key not in taken]
    bound.target = _target(binding.uri, labels, query)
    return bound


# What a header value may hold (RFC 9110 field-value: visible ASCII, space,
# tab): a line break would end the header (and start another one), and
# httpx cannot encode text beyond ASCII.
_HEADER_TEXT = re.compile(r"[\t\x20-\x7e]*")


def _header_safe(path: str, text: str) -> str:
    """``text`` if a header can carry it, else a ValidationError naming the member.

    The value itself is left out of the message: headers carry tokens.
    """
    if _HEADER_TEXT.fullmatch(text) is None:
        bad = next(i for i, char in enumerate(text) if not _HEADER_TEXT.fullmatch(char))
        raise ValidationError(
            path,
            "header",
            f"holds a character an HTTP header cannot carry (at position {bad}: "
            "a line break, a control character or non-ASCII text)",
        )
    return text


def _label_text(
    member: HttpMember, value: Any, defaults: Mapping[str, str] | None
) -> str:
    """A label's value as text (``_target`` percent-encodes it)."""
    if (value is None or value == "") and defaults and member.name in defaults:
        value = defaults[member.name]
    if value is None:
        raise ValidationError(member.attr, "required", "is bound to the URI")
    text = format_value(member, value, "label")
    if text == "":
        # http-bindings.rst, "httpLabel serialization rules": an empty
        # label would leave an empty path segment.
        raise ValidationError(member.attr, "length", "is bound to the URI: not empty")
    return text


def _query_pairs(member: HttpMember, value: Any) -> Iterator[tuple[str, str]]:
    values = value if member.list_of else [value]
    for item in values:
        yield member.name, format_value(member, item, "query")


def _query_map_pairs(
    member: HttpMember, value: Mapping[str, Any]
) -> Iterator[tuple[str, str]]:
    for key, item in value.items():
        items = item if member.list_of else [item]
        for element in items:
            yield key, format_value(member, element, "query")


def _target(uri: str, labels: Mapping[str, str], query: list[tuple[str, str]]) -> str:
    """The path with its labels filled, then the constant and bound query.

    Label values are percent-encoded but for RFC 3986's unreserved
    characters; a greedy label (``{Key+}``) keeps its slashes.
    """
    path, _, constant = uri.partition("?")

    def fill(match: re.Match[str]) -> str:
        greedy = match.group(2) == "+"
        text = quote(labels[match.group(1)], safe="/" if greedy else "")
        return "/".join(_dots_encoded(segment) for segment in text.split("/"))

    path = _LABEL.sub(fill, path)
    pairs = [constant] if constant else []
    pairs += [f"{quote(key, safe='')}={quote(item, safe='')}" for key, item in query]
    return f"{path}?{'&'.join(pairs)}" if pairs else path


# --- responses ----------------------------------------------------------------------


def _dots_encoded(segment: str) -> str:
    """A "." or ".." segment as %2E: httpx (RFC 3986 section 5.2.4) would
    otherwise remove it from the path, and the request would name another key."""
    if segment and set(segment) == {"."}:
        return "%2E" * len(segment)
    return segment


class BoundValueError(ValueError):
    """A header (or status) bound to a member could not be read; names the header."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def bound_value_error(
    subject: str, exc: BoundValueError, status: int, request_id: str | None
) -> ResponseParseError:
    """The ResponseParseError for an unreadable bound header of ``subject``
    ("DescribeThing response", "error response NotFound"), naming the header."""
    return ResponseParseError(
        f"{subject} {exc.where}: {exc.problem}",
        status_code=status,
        request_id=request_id,
        path=exc.where,
    )


def set_bound_error_members(
    service: ServiceSpec,
    error: ServiceError,
    status: int,
    headers: Mapping[str, str],
    request_id: str | None,
) -> None:
    """Set the error's header- and status-bound members (``service.error_bindings``).

    An unreadable bound header is the ResponseParseError naming it.
    """
    members = service.error_bindings.get(error.code)
    if not members:
        return
    try:
        values = read_bound_members(members, status, headers)
    except BoundValueError as exc:
        raise bound_value_error(
            f"error response {error.code}", exc, status, request_id
        ) from None
    for attr, value in values.items():
        setattr(error, attr, value)


def read_bound_members(
    members: tuple[HttpMember, ...], status: int, headers: Mapping[str, str]
) -> dict[str, Any]:
    """The values of the header-, prefix-header- and status-bound ``members``.

    An absent header leaves its member out. BoundValueError names a header
    whose value does not read as the member's type.
    """
    values: dict[str, Any] = {}
    for member in members:
        location = member.location
        if location == "response_code":
            values[member.attr] = status
        elif location == "header":
            raw = headers.get(member.name)
            if raw is not None:
                values[member.attr] = _read_header(member, raw)
        elif location == "prefix_headers":
            try:
                values[member.attr] = _read_prefixed(member, headers)
            except (ValueError, TypeError, binascii.Error) as exc:
                raise BoundValueError(f"headers {member.name}*", str(exc)) from None
    return values


def _read_header(member: HttpMember, raw: str) -> Any:
    try:
        if member.list_of:
            items = split_header_list(raw, http_dates=_is_http_date(member))
            return [parse_header_value(member, item) for item in items]
        return parse_header_value(member, raw.strip())
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BoundValueError(f"header {member.name}", str(exc)) from None


def _read_prefixed(member: HttpMember, headers: Mapping[str, str]) -> dict[str, Any]:
    """The headers starting with the member's prefix, by the rest of their name.

    Names keep the case they arrived in (as botocore's), where the headers
    object still has it (httpx.Headers.raw); a repeated header's values are
    joined by ", " as HTTP allows.
    """
    prefix = member.name.lower()
    raw = getattr(headers, "raw", None)
    pairs = (
        [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]
        if raw is not None
        else list(headers.items())
    )
    found: dict[str, Any] = {}
    for name, value in pairs:
        if name.lower().startswith(prefix):
            key = name[len(prefix) :]
            found[key] = f"{found[key]}, {value}" if key in found else value
    return {key: parse_header_value(member, value) for key, value in found.items()}


def _is_http_date(member: HttpMember) -> bool:
    return member.kind == "timestamp" and member.timestamp_format in (None, "http-date")


def parse_header_value(member: HttpMember, text: str) -> Any:
    """One header value as the member's Python value (``convert`` applied)."""
    kind = member.kind
    value: Any
    if kind == "integer":
        value = int(text)
    elif kind == "float":
        value = _parse_float_text(text)
    elif kind == "decimal":
        value = Decimal(text)
    elif kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError(f"expected true or false, got {text!r}")
        value = text == "true"
    elif kind == "timestamp":
        value = _parse_timestamp_text(member, text)
    elif kind == "blob":
        value = base64.b64decode(text, validate=True)
    elif kind == "json_string":
        value = base64.b64decode(text, validate=True).decode("utf-8")
    else:
        value = text
    return member.convert(value) if member.convert is not None else value


def _parse_float_text(text: str) -> float:
    if text in ("NaN", "Infinity", "-Infinity"):
        return float(text.replace("Infinity", "inf"))
    return float(text)


def _parse_timestamp_text(member: HttpMember, text: str) -> datetime:
    fmt = member.timestamp_format or "http-date"
    if fmt == "epoch-seconds":
        number = float(text)
        return parse_timestamp_epoch(int(number) if number.is_integer() else number)
    return parse_timestamp(text, fmt)


def split_header_list(raw: str, *, http_dates: bool = False) -> list[str]:
    """The values of a comma-separated header list.

    Quoted strings keep their commas and lose their quotes and escapes.
    http-date values hold one comma each ("Mon, 16 Dec 2019 23:48:18 GMT"),
    so a list of them is split at every second comma.
    """
    if not raw.strip():
        return []
    if http_dates:
        pieces = [piece.strip() for piece in raw.split(",")]
        return [", ".join(pieces[i : i + 2]) for i in range(0, len(pieces), 2)]
    items: list[str] = []
    outside: list[str] = []  # the item's text outside quotes
    inside: list[str] = []  # its quoted text
    was_quoted = quoted = escaped = False
    for char in raw:
        if escaped:
            inside.append(char)
            escaped = False
        elif quoted:
            if char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            else:
                inside.append(char)
        elif char == '"':
            quoted = was_quoted = True
        elif char == ",":
            items.append(_item(outside, inside, was_quoted))
            outside, inside, was_quoted = [], [], False
        else:
            outside.append(char)
    items.append(_item(outside, inside, was_quoted))
    return items


def _item(outside: list[str], inside: list[str], was_quoted: bool) -> str:
    """A quoted item is its quoted text as is; any other is trimmed."""
    return "".join(inside) if was_quoted else "".join(outside).strip()
