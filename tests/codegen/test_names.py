"""Python names for Smithy names."""

from __future__ import annotations

import pytest
from smithygen.emit.names import (
    class_name,
    enum_member_name,
    member_name,
    safe_name,
    snake_case,
)


@pytest.mark.parametrize(
    ("smithy", "python"),
    [
        ("DeletionId", "deletion_id"),
        ("SSMDocument", "ssm_document"),
        ("MaxResults", "max_results"),
        ("KMSKeyId", "kms_key_id"),
        ("ssmDocument", "ssm_document"),
        ("S3BucketName", "s3_bucket_name"),
        ("InstanceIds", "instance_ids"),
        ("ARN", "arn"),
        ("string", "string"),
        ("Value2", "value2"),
        ("already_snake", "already_snake"),
        ("Name-With-Dash", "name_with_dash"),
    ],
)
def test_snake_case(smithy: str, python: str) -> None:
    assert snake_case(smithy) == python


@pytest.mark.parametrize(
    ("smithy", "python"),
    [
        ("Type", "type_"),
        ("Id", "id_"),
        ("Filter", "filter_"),
        ("Next", "next_"),
        ("Class", "class_"),
        ("None", "none"),  # lowercase 'none' is not a keyword
        ("Self", "self_"),
        ("Lambda", "lambda_"),
        ("Request", "request_"),
    ],
)
def test_member_names_avoid_keywords_builtins_and_locals(
    smithy: str, python: str
) -> None:
    assert member_name(smithy) == python


def test_reserved_names_get_underscores_until_free() -> None:
    assert safe_name("code", {"code", "code_"}) == "code__"
    assert safe_name("9lives") == "_9lives"


@pytest.mark.parametrize(
    ("smithy", "python"),
    [("Secrets Manager", "SecretsManager"), ("SSM", "SSM"), ("ACM PCA", "ACMPCA")],
)
def test_class_names_from_sdk_ids(smithy: str, python: str) -> None:
    assert class_name(smithy) == python


@pytest.mark.parametrize(
    ("smithy", "python"),
    [("InProgress", "INPROGRESS"), ("name", "NAME_"), ("1X", "_1X"), ("A-B", "A_B")],
)
def test_enum_member_names(smithy: str, python: str) -> None:
    assert enum_member_name(smithy) == python
