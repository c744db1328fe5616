"""S3's endpoint built-ins (``AWS::S3::*``) from the ``s3`` configuration section.

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

__all__ = ["S3_SDK_IDS", "s3_builtins", "s3_call_builtins", "s3_config_section"]

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
