"""``make docs``: the API reference builds, and a broken reference fails it.

Issue 11, "What must be true" 6. mkdocs runs in strict mode (mkdocs.yml), so
an unresolved cross-reference, or a docstring naming a parameter the
signature lacks, is an error rather than a warning.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow


def _build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        cwd=config.parent,
        check=False,
    )


def _copy_of_the_docs(tmp_path: Path) -> Path:
    """mkdocs.yml and docs/ in tmp_path, reading the sources from the checkout."""
    config = (PROJECT_ROOT / "mkdocs.yml").read_text()
    config = config.replace(
        "paths: [generated, runtime]",
        f"paths: [{PROJECT_ROOT / 'generated'}, {PROJECT_ROOT / 'runtime'}]",
    )
    (tmp_path / "mkdocs.yml").write_text(config)
    shutil.copytree(PROJECT_ROOT / "docs", tmp_path / "docs")
    return tmp_path / "mkdocs.yml"


def test_api_reference_documents_the_client_its_options_and_the_runtime(
    tmp_path: Path,
) -> None:
    result = _build(_copy_of_the_docs(tmp_path), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    client = (tmp_path / "site" / "api" / "ssm_inventory.html").read_text()
    for anchor in (
        "ssm_inventory.SSMClient",
        "ssm_inventory.SSMClient.delete_inventory",
        "ssm_inventory.SSMClient.paginate_describe_inventory_deletions",
        "ssm_inventory.config",
        "ssm_inventory.version.RUNTIME_CONTRACT",
    ):
        assert f'id="{anchor}"' in client, anchor
    runtime = (tmp_path / "site" / "api" / "smithygen_runtime.html").read_text()
    assert 'id="smithygen_runtime.BaseClient"' in runtime
    assert "max_connections" in runtime


def test_a_broken_reference_fails_the_build(tmp_path: Path) -> None:
    config = _copy_of_the_docs(tmp_path)
    page = tmp_path / "docs" / "api" / "ssm_inventory.md"
    page.write_text(
        page.read_text() + "\nSee [the client][ssm_inventory.NoSuchClient].\n"
    )
    result = _build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "ssm_inventory.NoSuchClient" in result.stderr
