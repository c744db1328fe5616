"""Every official model in a folder through the generator: generate, type-check, import.

``python -m smithygen.models_check MODELS_DIR`` (``make models-check``) takes each
JSON AST model below the folder (the layout of github aws/api-models-aws, or a
flat folder) and, for each service in it:

- the model goes through the IDL writer and back (``smithygen idl --out`` then
  ``smithygen ast``) and must come back equal;
- awsJson 1.0/1.1, restJson1, restXml, awsQuery, ec2Query and rpcv2Cbor
  services: ``smithygen generate`` makes the whole client (a service offering
  several is counted under the protocol its client speaks by default,
  botocore's choice);
- other protocols: ``generate`` must refuse with a ``GenerationError`` naming the
  protocol, and the protocol-independent model classes are generated instead
  (``smithygen.models_only``).

Then ``mypy --strict`` (as Python 3.11) checks every package, and an
interpreter imports each package and every name it exports (which loads every
lazy group module), both in batches of ``BATCH`` packages. The report gives counts per protocol and names each failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smithygen.emit.context import BOTOCORE_PROTOCOL_ORDER
from smithygen.errors import CodegenError
from smithygen.idl import UNIT

SUPPORTED_PROTOCOLS = (
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "aws.protocols#restJson1",
    "aws.protocols#restXml",
    "smithy.protocols#rpcv2Cbor",
)
_PROTOCOL_PREFIXES = ("aws.protocols#", "smithy.protocols#")


@dataclass(slots=True)
class ModelResult:
    """What happened to one service of one model file."""

    path: Path
    service: str
    protocol: str
    package: str
    kind: str = "client"
    """``client`` (whole package) or ``models`` (model classes only)."""
    failure: str | None = None
    """The stage and message of the first failure, or None."""


@dataclass(slots=True)
class Report:
    results: list[ModelResult] = field(default_factory=list)

    @property
    def failures(self) -> list[ModelResult]:
        return [r for r in self.results if r.failure is not None]

    def counts(self) -> dict[str, tuple[int, int]]:
        """protocol -> (passed, total)."""
        total = Counter(r.protocol for r in self.results)
        passed = Counter(r.protocol for r in self.results if r.failure is None)
        return {p: (passed[p], total[p]) for p in sorted(total)}

    def lines(self) -> list[str]:
        out = [f"FAIL {r.path.name} ({r.service}): {r.failure}" for r in self.failures]
        for protocol, (passed, total) in self.counts().items():
            kind = "client" if protocol in _short(SUPPORTED_PROTOCOLS) else "models"
            out.append(f"{protocol:<14} {passed:>4}/{total:<4} passed ({kind})")
        passed = len(self.results) - len(self.failures)
        out.append(f"{'all':<14} {passed:>4}/{len(self.results):<4} passed")
        return out


def _short(protocols: Sequence[str]) -> list[str]:
    return [p.partition("#")[2] for p in protocols]


def model_files(folder: Path) -> list[Path]:
    """Every ``*.json`` below ``folder`` that is a Smithy JSON AST, sorted."""
    found = []
    for path in sorted(folder.rglob("*.json")):
        try:
            head = path.read_text(encoding="utf-8")[:200]
        except (OSError, UnicodeDecodeError):
            continue
        if '"smithy"' in head:
            found.append(path)
    return found


def services_of(ast: dict[str, Any]) -> list[tuple[str, str]]:
    """(service id, protocol name) of each service shape; protocol "none" if none."""
    services = []
    for shape_id, shape in ast.get("shapes", {}).items():
        if shape.get("type") != "service":
            continue
        traits = shape.get("traits", {})
        names = [t for t in traits if t.startswith(_PROTOCOL_PREFIXES)]
        supported = sorted(
            (t for t in names if t in SUPPORTED_PROTOCOLS),
            key=lambda t: BOTOCORE_PROTOCOL_ORDER.index(t.partition("#")[2]),
        )
        chosen = (supported or sorted(names) or ["none"])[0]
        services.append((shape_id, chosen.partition("#")[2] or chosen))
    return services


def package_name(path: Path, taken: set[str]) -> str:
    """``secrets-manager-2017-10-17.json`` -> ``secrets_manager`` (made unique)."""
    stem = re.sub(r"-\d{4}-\d{2}-\d{2}$", "", path.stem)
    name = re.sub(r"\W+", "_", stem).strip("_").lower() or "model"
    if name[0].isdigit():
        name = f"m_{name}"
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _generate_one(result: ModelResult, out: Path) -> None:
    from smithygen.generate import generate
    from smithygen.models_only import generate_models_only

    files = [result.path]
    if result.protocol in _short(SUPPORTED_PROTOCOLS):
        generate(files, service=result.service, package=result.package, out=out)
        return
    result.kind = "models"
    try:
        generate(files, service=result.service, package=result.package, out=out)
    except CodegenError as error:
        if result.protocol != "none" and result.protocol not in str(error):
            raise CodegenError(
                f"the refusal does not name the protocol {result.protocol}: {error}"
            ) from None
    else:
        raise CodegenError(f"generate accepted protocol {result.protocol}")
    generate_models_only(files, service=result.service, package=result.package, out=out)


def generate_all(
    paths: Sequence[Path], out: Path, progress: Callable[[str], None] | None = None
) -> Report:
    """Generate a package per service of each model into ``out``."""
    report = Report()
    taken: set[str] = set()
    for index, path in enumerate(paths, 1):
        if progress is not None:
            progress(f"[{index}/{len(paths)}] {path.name}")
        try:
            ast = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            report.results.append(
                ModelResult(path, "-", "none", "-", failure=f"read: {error}")
            )
            continue
        round_trip = idl_round_trip_problem(path)
        for service, protocol in services_of(ast):
            result = ModelResult(path, service, protocol, package_name(path, taken))
            report.results.append(result)
            try:
                _generate_one(result, out)
            except CodegenError as error:
                result.failure = f"generate: {error}"
            result.failure = result.failure or round_trip
    return report


def _unit_io(shapes: dict[str, Any]) -> dict[str, Any]:
    """Operations without input/output spelled with ``smithy.api#Unit``.

    service-types.rst, "Operation": input and output default to Unit; the IDL
    loader writes the default, a JSON AST input may leave it out.
    """
    unit = {"target": UNIT}
    return {
        shape_id: {"input": unit, "output": unit, **shape}
        if shape.get("type") == "operation" and "mixins" not in shape
        else shape
        for shape_id, shape in shapes.items()
    }


def idl_round_trip_problem(path: Path) -> str | None:
    """JSON AST -> IDL (one file per namespace) -> JSON AST must give the model back."""
    from smithygen.idl import load_files
    from smithygen.idl.writer import write_idl

    try:
        model = load_files([path])
        with tempfile.TemporaryDirectory(prefix="models-check-idl-") as tmp:
            for namespace, text in write_idl(model).items():
                (Path(tmp) / f"{namespace}.smithy").write_text(text, encoding="utf-8")
            again = load_files([Path(tmp)])
    except CodegenError as error:
        return f"idl round trip: {error}"
    shapes, back = _unit_io(model["shapes"]), _unit_io(again["shapes"])
    different = sorted(
        k for k in shapes.keys() | back.keys() if shapes.get(k) != back.get(k)
    )
    if different:
        return f"idl round trip: {len(different)} shape(s) differ, first {different[0]}"
    if model.get("metadata") != again.get("metadata"):
        return "idl round trip: the metadata differs"
    return None


_IMPORT_PROBE = """\
import importlib, sys
failed = []
for name in sys.argv[1:]:
    try:
        for module in (name, name + ".models"):
            target = importlib.import_module(module)
            public = [n for n in vars(target) if not n.startswith("_")]
            for exported in getattr(target, "__all__", public):
                getattr(target, exported)
    except Exception as error:
        failed.append(f"{name}\\t{type(error).__name__}: {error}")
print("\\n".join(failed))
"""


def _mark(report: Report, package: str, message: str) -> None:
    for result in report.results:
        if result.package == package and result.failure is None:
            result.failure = message


BATCH = 25
"""Packages per mypy and import run: bounds memory on hundreds of models."""


def typecheck_and_import(report: Report, out: Path) -> None:
    """mypy --strict and an import of every generated package, in batches."""
    packages = [r.package for r in report.results if r.failure is None]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(out), *sys.path])}
    for start in range(0, len(packages), BATCH):
        batch = packages[start : start + BATCH]
        _typecheck(report, out, batch, env)
        _import(report, out, batch, env)


def _fail_all(report: Report, packages: list[str], message: str) -> None:
    for package in packages:
        _mark(report, package, message)


def _typecheck(
    report: Report, out: Path, packages: list[str], env: dict[str, str]
) -> None:
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--python-version", "3.11", "--follow-imports", "silent",
         "--cache-dir", os.devnull, *[arg for p in packages for arg in ("-p", p)]],
        cwd=out, capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    blamed = False
    for line in mypy.stdout.splitlines():
        package = re.split(r"[/\\]", line, maxsplit=1)[0]
        if ": error:" in line and package in packages:
            _mark(report, package, f"mypy: {line}")
            blamed = True
    if mypy.returncode != 0 and not blamed:
        # mypy itself failed (not an error in one package): the batch fails.
        _fail_all(
            report, packages, f"mypy: {(mypy.stdout + mypy.stderr).strip()[-500:]}"
        )


def _import(
    report: Report, out: Path, packages: list[str], env: dict[str, str]
) -> None:
    imports = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE, *packages],
        cwd=out, capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    for line in imports.stdout.splitlines():
        package, _, message = line.partition("\t")
        _mark(report, package, f"import: {message}")
    if imports.returncode != 0:
        _fail_all(report, packages, f"import: {imports.stderr.strip()[-500:]}")


def check_models(
    paths: Sequence[Path], out: Path, progress: Callable[[str], None] | None = None
) -> Report:
    """Generate, type-check and import every service of every model file."""
    report = generate_all(paths, out, progress)
    typecheck_and_import(report, out)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m smithygen.models_check",
        description="Generate, type-check and import every official model in a folder.",
    )
    parser.add_argument("folder", type=Path, metavar="MODELS_DIR")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="keep the packages here (default: a temp dir)",
    )
    args = parser.parse_args(argv)
    paths = model_files(args.folder)
    if not paths:
        print(
            f"models-check: no Smithy JSON AST model below {args.folder}",
            file=sys.stderr,
        )
        return 1
    with tempfile.TemporaryDirectory(prefix="models-check-") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        report = check_models(paths, out, lambda line: print(line, file=sys.stderr))
    for line in report.lines():
        print(line)
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
