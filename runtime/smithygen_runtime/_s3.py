"""S3's customizations: endpoint built-ins from the ``s3`` section, and botocore's handlers.

The last part of the module holds what botocore's S3 handlers add to
requests and outputs: ``Expect: 100-continue`` on uploads, and
EncodingType=url on object listings with the keys decoded back.

The endpoint built-ins (``AWS::S3::*``) come from the ``s3`` configuration section.

botocore reads the profile's ``s3`` section (and its environment variables,
such as ``AWS_S3_US_EAST_1_REGIONAL_ENDPOINT``) through its session and
turns it into the rule-set built-ins (botocore.args,
``compute_endpoint_resolver_builtin_defaults``); the same values come out
here, so a client addresses buckets as botocore does for the same
configuration:

    addressing_style           "virtual" | "path" | "auto" -> AWS::S3::ForcePathStyle
    use_accelerate_endpoint    -> AWS::S3::Accelerate (and never path-style)
    use_dualstack_endpoint     -> AWS::UseDualStack, for S3 itself
    us_east_1_regional_endpoint "legacy" | "regional" -> AWS::S3::UseGlobalEndpoint
    use_arn_region             -> AWS::S3::UseArnRegion (S3 Control: its own default)
    s3_disable_multiregion_access_points -> AWS::S3::DisableMultiRegionAccessPoints

With a custom endpoint URL (not an accelerate one), botocore addresses by
path unless ``addressing_style`` is "virtual": a local S3 emulator at
http://127.0.0.1:9000 gets ``/bucket/key``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._errors import ConfigurationError
from ._interceptors import Interceptor, InterceptorContext

__all__ = [
    "S3_SDK_IDS",
    "S3UrlEncodedListings",
    "s3_builtins",
    "s3_call_builtins",
    "s3_config_section",
    "s3_expects_continue",
    "s3_interceptors",
]

# The services whose clients read the ``s3`` section's dual-stack setting
# (botocore's ``_is_s3_service``: S3 and S3 Control).
S3_SDK_IDS = frozenset({"S3", "S3 Control"})
_ADDRESSING_STYLES = ("auto", "virtual", "path")
_REGIONAL_SETTINGS = ("legacy", "regional")


def s3_config_section(value: object) -> Mapping[str, Any]:
    """The ``s3`` section as botocore's session returns it, checked.

    ConfigurationError names a bad ``addressing_style`` or
    ``us_east_1_regional_endpoint`` (without echoing more than 40 characters).
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            "the s3 configuration section must be a set of key = value lines, "
            f"got {type(value).__name__}"
        )
    style = value.get("addressing_style")
    if style is not None and style not in _ADDRESSING_STYLES:
        raise ConfigurationError(
            "s3 addressing_style must be one of "
            f"{', '.join(_ADDRESSING_STYLES)}, got {str(style)[:40]!r}"
        )
    regional = value.get("us_east_1_regional_endpoint")
    if regional is not None and regional not in _REGIONAL_SETTINGS:
        raise ConfigurationError(
            "s3 us_east_1_regional_endpoint (AWS_S3_US_EAST_1_REGIONAL_ENDPOINT) "
            f"must be legacy or regional, got {str(regional)[:40]!r}"
        )
    return value


def _flag(section: Mapping[str, Any], name: str, default: bool) -> bool:
    value = section.get(name, default)
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def s3_builtins(
    section: Mapping[str, Any], *, region: str | None, endpoint_url: str | None
) -> dict[str, Any]:
    """The ``AWS::S3*`` built-in values for this ``s3`` section, as botocore sets them."""
    accelerate = _flag(section, "use_accelerate_endpoint", False)
    style = section.get("addressing_style")
    if accelerate:
        force_path_style = False
    elif endpoint_url is not None and not _is_accelerate_url(endpoint_url):
        force_path_style = style != "virtual"
    else:
        force_path_style = style == "path"
    regional = section.get("us_east_1_regional_endpoint", "legacy")
    return {
        "AWS::S3::Accelerate": accelerate,
        "AWS::S3::ForcePathStyle": force_path_style,
        "AWS::S3::UseGlobalEndpoint": regional == "legacy"
        and region in ("us-east-1", None),
        "AWS::S3::UseArnRegion": _flag(section, "use_arn_region", True),
        "AWS::S3Control::UseArnRegion": _flag(section, "use_arn_region", False),
        "AWS::S3::DisableMultiRegionAccessPoints": _flag(
            section, "s3_disable_multiregion_access_points", False
        ),
    }


def _is_accelerate_url(url: str) -> bool:
    """Whether ``url`` is an S3 Accelerate endpoint (botocore decides)."""
    from botocore.utils import is_s3_accelerate_url

    return bool(is_s3_accelerate_url(url))


def s3_call_builtins(
    builtins: Mapping[str, Any], operation: str, bucket: object
) -> Mapping[str, Any]:
    """The built-ins for one S3 call, as botocore adjusts them per call.

    botocore's ``customize_endpoint_resolver_builtins`` (handlers.py):
    GetBucketLocation is always sent path-style (the bucket's region, which
    a virtual host would need for signing, is what it asks for), and a
    bucket given as an ARN (access points, Outposts) never path-style.
    """
    from botocore.utils import ArnParser

    if operation == "GetBucketLocation":
        return {**builtins, "AWS::S3::ForcePathStyle": True}
    if isinstance(bucket, str) and ArnParser.is_arn(bucket):
        return {**builtins, "AWS::S3::ForcePathStyle": False}
    return builtins


# --- per-request customizations (botocore's S3 handlers) ----------------------------

# botocore turns these operations' bytes bodies into file objects, so they
# always get the Expect header (handlers.py, convert_body_to_file_like_object).
_EXPECT_ALWAYS = frozenset({"PutObject", "UploadPart"})


def s3_expects_continue(operation: str, method: str, body_in_memory: bool) -> bool:
    """Whether an S3 request with a streamed body sends ``Expect: 100-continue``.

    botocore's ``add_expect_header``: a PUT or POST whose body is a file
    object (PutObject's and UploadPart's always are). S3 answers the headers
    with ``100 Continue``, or at once with an error (a redirect, a denied
    request) before the body is read. httpx sends the body without waiting
    for the 100 (RFC 9110 allows it) and httpcore skips the interim
    response: the header saves nothing with httpx, but S3 sees the request
    botocore sends. (A refusal sent before the body, on a connection the
    server then closes, is lost in the reset: docs/runtime-contract.md.)
    """
    if method not in ("PUT", "POST"):
        return False
    return operation in _EXPECT_ALWAYS or not body_in_memory


# Members S3 returns URL-encoded when asked for EncodingType=url: the
# top-level ones, and (list, member) pairs; botocore's decode_list_object*.
_URL_ENCODED_LISTINGS: Mapping[
    str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]
] = {
    "ListObjects": (
        ("delimiter", "marker", "next_marker"),
        (("contents", "key"), ("common_prefixes", "prefix")),
    ),
    "ListObjectsV2": (
        ("delimiter", "prefix", "start_after"),
        (("contents", "key"), ("common_prefixes", "prefix")),
    ),
    "ListObjectVersions": (
        ("key_marker", "next_key_marker", "prefix", "delimiter"),
        (
            ("versions", "key"),
            ("delete_markers", "key"),
            ("common_prefixes", "prefix"),
        ),
    ),
}
_AUTO_SET = "smithygen.s3.encoding_type_auto_set"


class S3UrlEncodedListings(Interceptor):
    """EncodingType=url on S3's object listings, and the keys decoded back.

    An XML 1.0 document cannot carry every character an object key may
    hold (control characters): botocore therefore asks for URL-encoded
    keys whenever the caller did not choose an encoding, and decodes them
    (``unquote_plus``) in the output, so the caller sees the keys as they
    are (handlers.py, ``set_list_objects_encoding_type_url``). A caller who
    asked for an encoding gets the keys as S3 sent them. botocore does this
    for ListObjects, ListObjectsV2 and ListObjectVersions (not for
    ListMultipartUploads), and so does this.
    """

    def modify_before_serialization(self, context: InterceptorContext) -> Any:
        given = context.input
        if (
            context.operation not in _URL_ENCODED_LISTINGS
            or getattr(given, "encoding_type", "") is not None
        ):
            return given
        import attrs

        context.properties[_AUTO_SET] = True
        return attrs.evolve(given, encoding_type="url")

    def modify_before_completion(self, context: InterceptorContext) -> Any:
        output = context.output
        if (
            context.error is not None
            or not context.properties.get(_AUTO_SET)
            or getattr(output, "encoding_type", None) != "url"
        ):
            return output if context.error is None else context.error
        top, nested = _URL_ENCODED_LISTINGS[context.operation]
        return _url_decoded(output, top, nested)


def _url_decoded(
    output: Any, top: tuple[str, ...], nested: tuple[tuple[str, str], ...]
) -> Any:
    from urllib.parse import unquote_plus

    import attrs

    changes: dict[str, Any] = {
        name: unquote_plus(value)
        for name in top
        if isinstance(value := getattr(output, name, None), str)
    }
    for list_name, member in nested:
        items = getattr(output, list_name, None)
        if items:
            changes[list_name] = [
                attrs.evolve(item, **{member: unquote_plus(value)})
                if isinstance(value := getattr(item, member, None), str)
                else item
                for item in items
            ]
    return attrs.evolve(output, **changes)


def s3_interceptors(sdk_id: str) -> list[Interceptor]:
    """The built-in interceptors of a client of ``sdk_id`` (S3's customizations)."""
    return [S3UrlEncodedListings()] if sdk_id == "S3" else []
