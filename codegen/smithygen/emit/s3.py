"""S3's customizations of the generated code (S3 is the one service that needs them).

Bucket addressing: S3's endpoint rules put the bucket in the URL they
resolve, in the host (virtual-hosted) or the path (path-style), so the
``/{Bucket}`` label that starts S3's request URIs must not be written again.
botocore strips it from every S3 operation before building the request
(handlers.py, ``remove_bucket_from_url_paths_from_model``); the generator
does the same once, at generation time, for services whose sdkId is "S3".
The constant ``x-id`` query parameter goes too (``_without_x_id``).
The ``Bucket`` member stays an input (bound to the rules by
``smithy.rules#contextParam``); only its place in the path goes.
"""

from __future__ import annotations

from smithygen.emit.context import Context

__all__ = ["request_uri"]

_BUCKET_LABEL = "/{Bucket}"


def request_uri(ctx: Context, uri: str) -> str:
    """The ``@http`` URI as the generated client fills it.

    For S3, a leading ``/{Bucket}`` goes (``/{Bucket}?list-type=2`` becomes
    ``?list-type=2``, ``/{Bucket}/{Key+}`` becomes ``/{Key+}``); any other
    service's URI is unchanged.
    """
    if ctx.sdk_id != "S3":
        return uri
    uri = _without_x_id(uri)
    if not uri.startswith(_BUCKET_LABEL):
        return uri
    rest = uri[len(_BUCKET_LABEL) :]
    if rest[:1] not in ("", "/", "?"):
        return uri  # another label that starts with "Bucket"
    # "?list-type=2" keeps no slash, as in botocore: the endpoint's own path
    # (path-style "/bucket") is then the whole path (_routing.request_url).
    return rest


def _without_x_id(uri: str) -> str:
    """The URI without its constant ``x-id=<Operation>`` query parameter.

    S3's Smithy model adds it only to keep operations' URIs distinct (S3
    ignores it); botocore's model has none and sends none, so neither does
    the generated client.
    """
    path, sep, query = uri.partition("?")
    if not sep:
        return uri
    kept = [p for p in query.split("&") if not p.startswith("x-id=")]
    return f"{path}?{'&'.join(kept)}" if kept else path
