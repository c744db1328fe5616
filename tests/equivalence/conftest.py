"""Fixtures of the equivalence tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import isolate_aws_environment
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


@pytest.fixture
def isolated_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real AWS settings or IMDS (``isolate_aws_environment``); a module
    asks for it with ``pytest.mark.usefixtures("isolated_aws")``."""
    isolate_aws_environment(monkeypatch, tmp_path)
