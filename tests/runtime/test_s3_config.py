"""The ``s3`` configuration section as S3's endpoint built-ins (smithygen_runtime._s3).

The addressing that results is compared with botocore's, end to end, in
tests/equivalence/test_s3_addressing.py; here: the checks and the values
botocore's args.py sets for each setting.
"""

from __future__ import annotations

import pytest
from smithygen_runtime import ConfigurationError
from smithygen_runtime._s3 import s3_builtins, s3_config_section


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ({"addressing_style": "sideways"}, "addressing_style"),
        ({"us_east_1_regional_endpoint": "global"}, "us_east_1_regional_endpoint"),
    ],
)
def test_a_bad_setting_is_a_configuration_error_naming_it(
    section: dict[str, str], problem: str
) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        s3_config_section(section)


def test_a_section_that_is_not_key_value_lines_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="key = value"):
        s3_config_section("addressing_style=path")


def test_no_section_is_botocores_defaults() -> None:
    builtins = s3_builtins(
        s3_config_section(None), region="eu-west-1", endpoint_url=None
    )
    assert builtins == {
        "AWS::S3::Accelerate": False,
        "AWS::S3::ForcePathStyle": False,
        "AWS::S3::UseGlobalEndpoint": False,
        "AWS::S3::UseArnRegion": True,
        "AWS::S3Control::UseArnRegion": False,
        "AWS::S3::DisableMultiRegionAccessPoints": False,
    }


@pytest.mark.parametrize(
    ("section", "endpoint", "path_style"),
    [
        ({}, None, False),
        ({"addressing_style": "path"}, None, True),
        ({}, "http://127.0.0.1:9000", True),  # a custom endpoint: path-style
        ({"addressing_style": "auto"}, "http://127.0.0.1:9000", True),
        ({"addressing_style": "virtual"}, "http://127.0.0.1:9000", False),
        ({}, "https://s3-accelerate.amazonaws.com", False),
        ({"addressing_style": "path", "use_accelerate_endpoint": True}, None, False),
    ],
)
def test_force_path_style_follows_botocore(
    section: dict[str, object], endpoint: str | None, path_style: bool
) -> None:
    builtins = s3_builtins(section, region="eu-west-1", endpoint_url=endpoint)
    assert builtins["AWS::S3::ForcePathStyle"] is path_style


@pytest.mark.parametrize(
    ("setting", "region", "global_endpoint"),
    [
        (None, "us-east-1", True),  # legacy by default
        ("legacy", "us-east-1", True),
        ("regional", "us-east-1", False),
        (None, "eu-west-1", False),
    ],
)
def test_use_global_endpoint_is_legacy_us_east_1(
    setting: str | None, region: str, global_endpoint: bool
) -> None:
    section = {} if setting is None else {"us_east_1_regional_endpoint": setting}
    builtins = s3_builtins(section, region=region, endpoint_url=None)
    assert builtins["AWS::S3::UseGlobalEndpoint"] is global_endpoint
