"""Fresh virtual environments for the packaging tests, built without an index.

Tests must pass with no network, so a fresh venv cannot download the
third-party dependencies of the wheels under test. ``link_dependencies``
gives it exactly the distributions those wheels declare (their
``Requires-Dist``, followed recursively, markers evaluated for the venv's own
interpreter) by linking each one's files and ``.dist-info`` from the running
environment into the venv's site-packages; nothing else is visible there, and
``pip check`` in the venv then verifies the declared requirements are met.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from email.parser import Parser
from importlib import metadata
from pathlib import Path
from zipfile import ZipFile

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import PROJECT_ROOT

DISTRIBUTION_FOLDERS = {
    "smithygen-runtime": "runtime",
    "smithygen": "codegen",
    "ssm-emulator": "emulator",
    "ssm-inventory": "generated",
}


def oldest_python() -> str:
    """The oldest interpreter >= 3.11 that scripts/find-python finds (3.11 here)."""
    found = subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "find-python"), "--all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return found[0] if found else sys.executable


def clean_environment(**extra: str) -> dict[str, str]:
    """The process environment without anything that would leak the dev venv in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "AWS_", "PIP_"))
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    env.update(extra)
    return env


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output when it fails."""
    result = subprocess.run(
        args,
        capture_output=True,
        text=True,
        check=False,
        env=kwargs.pop("env", clean_environment()),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[call-overload]
    )
    assert result.returncode == 0, (
        f"{' '.join(args)} exited {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    return result


class Venv:
    """A fresh venv: its interpreter and site-packages."""

    def __init__(self, path: Path, base_python: str) -> None:
        run([base_python, "-m", "venv", str(path)])
        self.python = str(path / "bin" / "python")
        facts = json.loads(
            run(
                [
                    self.python,
                    "-I",
                    "-c",
                    "import json, sys, sysconfig; print(json.dumps({"
                    "'purelib': sysconfig.get_paths()['purelib'],"
                    "'version': '%d.%d' % sys.version_info[:2]}))",
                ]
            ).stdout
        )
        self.site_packages = Path(facts["purelib"])
        self.version: str = facts["version"]

    def marker_environment(self) -> dict[str, str]:
        environment = json.loads(
            run(
                [
                    self.python,
                    "-I",
                    "-c",
                    "import json, os, platform, sys; print(json.dumps({"
                    "'python_version': '%d.%d' % sys.version_info[:2],"
                    "'python_full_version': platform.python_version(),"
                    "'implementation_name': sys.implementation.name,"
                    "'platform_python_implementation': platform.python_implementation(),"
                    "'sys_platform': sys.platform, 'os_name': os.name,"
                    "'platform_system': platform.system(),"
                    "'platform_machine': platform.machine()}))",
                ]
            ).stdout
        )
        return {**default_environment(), **environment}

    def pip(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([self.python, "-m", "pip", "--no-input", *args])

    def link_dependencies(
        self, wheels: list[Path], also: tuple[str, ...] = ()
    ) -> list[str]:
        """Link the wheels' dependency closure (and ``also``) from this environment.

        Returns the distribution names linked. Distributions the wheels provide
        themselves are not linked.
        """
        environment = self.marker_environment()
        provided = {canonicalize_name(wheel_name(w)) for w in wheels}
        pending = [r for w in wheels for r in wheel_requirements(w)]
        pending += [Requirement(name) for name in also]
        linked: dict[str, metadata.Distribution] = {}
        while pending:
            requirement = pending.pop()
            name = canonicalize_name(requirement.name)
            if requirement.marker and not requirement.marker.evaluate(
                {**environment, "extra": ""}
            ):
                continue
            if name in provided or name in linked:
                continue
            try:
                dist = metadata.distribution(requirement.name)
            except metadata.PackageNotFoundError:
                raise AssertionError(
                    f"{requirement.name} is required but not installed in the test"
                    " environment, so it cannot be linked into the fresh venv"
                ) from None
            linked[name] = dist
            pending += [Requirement(r) for r in dist.requires or []]
        for dist in linked.values():
            self._link(dist)
        return sorted(linked)

    def _link(self, dist: metadata.Distribution) -> None:
        tops = set()
        for file in dist.files or []:
            parts = Path(file).parts
            if parts and parts[0] != ".." and not parts[0].endswith(".pth"):
                tops.add(parts[0])
        for top in sorted(tops):
            source = Path(str(dist.locate_file(top)))
            target = self.site_packages / top
            if source.exists() and not target.exists():
                target.symlink_to(source)


def wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    """The METADATA of a wheel: each field's values."""
    with ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(name).decode())
    fields: dict[str, list[str]] = {}
    for key, value in message.items():
        fields.setdefault(key, []).append(value)
    fields["Description"] = [message.get_payload()]  # type: ignore[list-item]
    return fields


def wheel_name(wheel: Path) -> str:
    return wheel_metadata(wheel)["Name"][0]


def wheel_requirements(wheel: Path) -> list[Requirement]:
    return [Requirement(r) for r in wheel_metadata(wheel).get("Requires-Dist", [])]


def build_distribution(folder: Path, out: Path) -> tuple[Path, Path]:
    """Build a wheel and an sdist of ``folder`` into ``out`` (no isolation, no index).

    From a copy of the folder, so the build leaves nothing in the checkout.
    """
    source = out.parent / f"source-{folder.name}"
    shutil.copytree(
        folder,
        source,
        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"),
    )
    before = set(out.glob("*")) if out.exists() else set()
    run(
        [
            sys.executable,
            "-m",
            "build",
            "--no-isolation",
            "--sdist",
            "--wheel",
            "--outdir",
            str(out),
            str(source),
        ]
    )
    new = set(out.glob("*")) - before
    wheel = next(p for p in new if p.suffix == ".whl")
    sdist = next(p for p in new if p.name.endswith(".tar.gz"))
    return wheel, sdist
