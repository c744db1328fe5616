"""Fixtures of the equivalence tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.equivalence.unseen import UnseenServices, generated_package_path


@pytest.fixture(scope="session")
def unseen_services(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[UnseenServices]:
    """SNS, IAM, CloudFormation, RDS, EC2, Route 53 and CloudFront rebuilt from
    botocore's models, each generated when a test first needs it (unseen.py)."""
    out = tmp_path_factory.mktemp("unseen")
    with generated_package_path(out):
        yield UnseenServices(out)
