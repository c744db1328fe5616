"""The four distributions' metadata and contents, read from the built wheels.

Issue 11, "What must be true" 1: each has its own version, README, license,
requires-python, a ``Typing :: Typed`` classifier and lower-bounded
dependencies; a console script ships only with the distribution that can run it.
"""

from __future__ import annotations

import importlib
import tarfile
from importlib import metadata
from pathlib import Path
from zipfile import ZipFile

import pytest
from packaging.requirements import Requirement

from tests.conftest import PROJECT_ROOT
from tests.packaging.venvs import DISTRIBUTION_FOLDERS, wheel_metadata

pytestmark = pytest.mark.slow

IMPORT_NAMES = {
    "smithygen-runtime": "smithygen_runtime",
    "smithygen": "smithygen",
    "ssm-emulator": "ssm_emulator",
    "ssm-inventory": "ssm_inventory",
}
REQUIRES_PYTHON = {
    "smithygen-runtime": ">=3.11",
    "smithygen": ">=3.12",  # smithy-python needs 3.12
    "ssm-emulator": ">=3.11",
    "ssm-inventory": ">=3.11",
}
CONSOLE_SCRIPTS = {
    "smithygen": "smithygen = smithygen.cli:main",
    "ssm-emulator": "ssm-emulator = ssm_emulator.cli:main",
}
# The import a console script needs that only its own distribution declares.
SCRIPT_NEEDS = {"smithygen": "smithy-python", "ssm-emulator": "uvicorn"}


def _names(wheel: Path) -> list[str]:
    with ZipFile(wheel) as archive:
        return archive.namelist()


def _entry_points(wheel: Path) -> str:
    with ZipFile(wheel) as archive:
        found = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
        return archive.read(found[0]).decode() if found else ""


@pytest.mark.parametrize("name", sorted(DISTRIBUTION_FOLDERS))
def test_each_wheel_has_complete_metadata(
    built: dict[str, tuple[Path, Path]], name: str
) -> None:
    fields = wheel_metadata(built[name][0])
    assert fields["Name"] == [name]
    assert fields["Version"] == ["0.1.0"]
    assert fields["License-Expression"] == ["Apache-2.0"]
    assert fields["License-File"] == ["LICENSE"]
    assert fields["Requires-Python"] == [REQUIRES_PYTHON[name]]
    assert "Typing :: Typed" in fields["Classifier"]
    assert fields["Description-Content-Type"] == ["text/markdown"]
    assert fields["Summary"][0]
    readme = (PROJECT_ROOT / DISTRIBUTION_FOLDERS[name] / "README.md").read_text()
    assert fields["Description"][0].strip() == readme.strip()
    versions = {
        c.rsplit(" :: ", 1)[1] for c in fields["Classifier"] if "Python :: 3." in c
    }
    floor = REQUIRES_PYTHON[name].removeprefix(">=")
    assert floor in versions and "3.13" in versions


@pytest.mark.parametrize("name", sorted(DISTRIBUTION_FOLDERS))
def test_every_dependency_has_a_lower_bound(
    built: dict[str, tuple[Path, Path]], name: str
) -> None:
    requirements = [
        Requirement(r) for r in wheel_metadata(built[name][0]).get("Requires-Dist", [])
    ]
    assert requirements
    for requirement in requirements:
        operators = {spec.operator for spec in requirement.specifier}
        assert operators & {">=", "~=", "=="}, (
            f"{name}: {requirement} has no lower bound"
        )


def test_ssm_inventory_needs_a_compatible_runtime_release_and_nothing_else_of_ours(
    built: dict[str, tuple[Path, Path]],
) -> None:
    requirements = {
        Requirement(r).name: str(Requirement(r).specifier)
        for r in wheel_metadata(built["ssm-inventory"][0])["Requires-Dist"]
    }
    assert requirements["smithygen-runtime"] == "~=0.1.0"
    assert not {"smithygen", "ssm-emulator", "smithy-python", "uvicorn"} & set(
        requirements
    )


def test_runtime_needs_only_what_the_wire_needs(
    built: dict[str, tuple[Path, Path]],
) -> None:
    requirements = [
        Requirement(r)
        for r in wheel_metadata(built["smithygen-runtime"][0])["Requires-Dist"]
    ]
    always = {r.name for r in requirements if r.marker is None}
    optional = {r.name: str(r.marker) for r in requirements if r.marker is not None}
    # cbor2: the bodies of rpcv2Cbor (imported only by clients that speak it).
    assert always == {
        "attrs",
        "httpx",
        "botocore",
        "anyio",
        "jmespath",
        "sniffio",
        "cbor2",
    }
    # The OpenTelemetrySpans interceptor's API, and the AWS Common Runtime
    # (CRC32C, CRC64NVME, XXHASH checksums), each only with its extra.
    assert optional == {
        "opentelemetry-api": 'extra == "opentelemetry"',
        "awscrt": 'extra == "crt"',
    }


@pytest.mark.parametrize("name", sorted(DISTRIBUTION_FOLDERS))
def test_a_console_script_ships_only_with_the_distribution_that_runs_it(
    built: dict[str, tuple[Path, Path]], name: str
) -> None:
    scripts = _entry_points(built[name][0])
    if name in CONSOLE_SCRIPTS:
        assert CONSOLE_SCRIPTS[name] in scripts
        requires = wheel_metadata(built[name][0])["Requires-Dist"]
        assert any(Requirement(r).name == SCRIPT_NEEDS[name] for r in requires)
    else:
        assert "console_scripts" not in scripts


@pytest.mark.parametrize("name", sorted(DISTRIBUTION_FOLDERS))
def test_each_wheel_holds_its_own_package_typed_and_licensed(
    built: dict[str, tuple[Path, Path]], name: str
) -> None:
    files = _names(built[name][0])
    package = IMPORT_NAMES[name]
    top_levels = {
        f.split("/")[0] for f in files if not f.split("/")[0].endswith(".dist-info")
    }
    assert top_levels == {package}
    assert f"{package}/py.typed" in files
    assert f"{package}/__init__.py" in files
    license_files = [f for f in files if f.endswith(".dist-info/licenses/LICENSE")]
    assert len(license_files) == 1
    with ZipFile(built[name][0]) as archive:
        text = archive.read(license_files[0]).decode()
    assert text == (PROJECT_ROOT / "LICENSE").read_text()


def test_ssm_inventory_wheel_carries_the_endpoint_rules_and_project_modules(
    built: dict[str, tuple[Path, Path]],
) -> None:
    files = _names(built["ssm-inventory"][0])
    for module in ("version.py", "config.py", "endpoint_rules.json", "client.py"):
        assert f"ssm_inventory/{module}" in files


def test_generator_wheel_carries_the_license_text_it_writes_into_projects(
    built: dict[str, tuple[Path, Path]],
) -> None:
    with ZipFile(built["smithygen"][0]) as archive:
        text = archive.read("smithygen/licenses/Apache-2.0.txt").decode()
    assert text == (PROJECT_ROOT / "LICENSE").read_text()


@pytest.mark.parametrize("name", sorted(DISTRIBUTION_FOLDERS))
def test_each_sdist_holds_pyproject_readme_license_and_package(
    built: dict[str, tuple[Path, Path]], name: str
) -> None:
    with tarfile.open(built[name][1]) as archive:
        members = {m.split("/", 1)[1] for m in archive.getnames() if "/" in m}
    package = IMPORT_NAMES[name]
    assert {
        "pyproject.toml",
        "README.md",
        "LICENSE",
        f"{package}/__init__.py",
    } <= members
    assert not any(m.startswith("tests/") for m in members)


def test_license_copies_match_the_repository_license() -> None:
    text = (PROJECT_ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    copies = [
        PROJECT_ROOT / folder / "LICENSE" for folder in DISTRIBUTION_FOLDERS.values()
    ]
    copies.append(
        PROJECT_ROOT / "codegen" / "smithygen" / "licenses" / "Apache-2.0.txt"
    )
    for copy in copies:
        assert copy.read_text() == text, f"{copy} differs from LICENSE"


@pytest.mark.parametrize("name", sorted(DISTRIBUTION_FOLDERS))
def test_each_package_reports_its_distribution_version(name: str) -> None:
    module = importlib.import_module(IMPORT_NAMES[name])
    assert module.__version__ == metadata.version(name)
