"""Run Smithy HTTP protocol compliance test cases against generated clients.

``Suite`` loads every model file under some directories with the project's own
IDL loader, lists the ``smithy.test#httpRequestTests`` and
``smithy.test#httpResponseTests`` cases of each service, and generates one
client package per service with ``smithygen.generate.generate``. The runners
drive a generated client through an ``httpx.MockTransport``.

Both ``tests/protocol`` (the official suites) and ``tests/awsjson10`` (our own
awsJson 1.0 cases) use this module; ``runners.py`` runs the cases.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from smithy_python.model import (
    Model,
    OperationShape,
    ServiceShape,
    StructureShape,
    load_model,
    to_json,
)
from smithygen.emit.context import Context
from smithygen.emit.names import snake_case
from smithygen.errors import CodegenError
from smithygen.generate import generate
from smithygen.idl import load_files
from smithygen.select import select, service_operations

from tests.protocol.values import Converter

REQUEST_TESTS = "smithy.test#httpRequestTests"
RESPONSE_TESTS = "smithy.test#httpResponseTests"

Kind = Literal["request", "response"]


@dataclass(frozen=True)
class Case:
    """One test case of one service, with the shapes it exercises."""

    kind: Kind
    id: str
    data: Mapping[str, Any]
    """The test case as JSON (id, protocol, params, headers, body...)."""
    service: ServiceShape
    operations: tuple[OperationShape, ...]
    """The operation under test; for an error case, every operation returning it."""
    error: StructureShape | None = None

    @property
    def key(self) -> str:
        """``request:<id>`` / ``response:<id>``: the key of known_failures."""
        return f"{self.kind}:{self.id}"

    @property
    def for_client(self) -> bool:
        return self.data.get("appliesTo") in (None, "client")

    @property
    def protocol_supported(self) -> bool:
        return str(self.data.get("protocol")) in {str(t) for t in self.service.traits}


@dataclass
class Generated:
    """A generated package and the facts needed to drive it."""

    ctx: Context
    package: str
    client: ModuleType
    converter: Converter


@dataclass
class Suite:
    """The test models under some directories, their cases and generated clients."""

    directories: tuple[Path, ...]
    tag: str
    files: list[Path]
    model: Model
    cases: list[Case]
    orphans: list[str] = field(default_factory=list)
    """Shapes that carry client test cases but belong to no service."""
    server_only_orphans: list[str] = field(default_factory=list)
    """Shapes that belong to no service and carry server-only cases alone."""
    _generated: dict[str, Generated | str] = field(default_factory=dict)

    @classmethod
    def load(cls, directories: Sequence[Path], tag: str) -> Suite:
        """Load the models (raises CodegenError or a model error when invalid)."""
        files = sorted(
            {
                path
                for directory in directories
                for pattern in ("*.smithy", "*.json")
                for path in Path(directory).rglob(pattern)
            }
        )
        model = load_model(load_files(files))
        suite = cls(tuple(directories), tag, files, model, [])
        suite._collect()
        return suite

    def _collect(self) -> None:
        owner: dict[Any, ServiceShape] = {}
        ops_of: dict[Any, list[OperationShape]] = {}
        for service in sorted(self.model.services(), key=lambda s: str(s.id)):
            operations = service_operations(self.model, service)
            for op in operations:
                owner.setdefault(op.id, service)
                for error_id in (*op.errors, *service.errors):
                    if owner.setdefault(error_id, service) is service:
                        ops_of.setdefault(error_id, [])
                        if op not in ops_of[error_id]:
                            ops_of[error_id].append(op)
        kinds: tuple[tuple[str, Kind], ...] = (
            (REQUEST_TESTS, "request"),
            (RESPONSE_TESTS, "response"),
        )
        for shape in self.model.iter_shapes():
            for trait, kind in kinds:
                if not shape.has_trait(trait):
                    continue
                owning = owner.get(shape.id)
                cases = to_json(shape.get_trait(trait))
                assert isinstance(cases, list), f"{shape.id}: {trait} is not a list"
                if owning is None:
                    # Server-only cases are never run by a client anyway
                    # (restJson1's AcceptHeaderStarService is bound to no service).
                    if any(c.get("appliesTo") != "server" for c in cases):
                        self.orphans.append(str(shape.id))
                    else:
                        self.server_only_orphans.append(str(shape.id))
                    continue
                for data in cases:
                    assert isinstance(data, dict)
                    if isinstance(shape, OperationShape):
                        ops: tuple[OperationShape, ...] = (shape,)
                        error = None
                    else:
                        assert isinstance(shape, StructureShape)
                        ops, error = tuple(ops_of[shape.id]), shape
                    self.cases.append(
                        Case(kind, str(data["id"]), data, owning, ops, error)
                    )

    # --- generation -----------------------------------------------------------

    def package_name(self, service: ServiceShape) -> str:
        return f"{self.tag}_{snake_case(service.id.name)}"

    def generate_all(self, out: Path) -> None:
        """Generate every service's package into ``out`` and put it on sys.path.

        A service that fails to generate records its error, which each of its
        cases reports, instead of stopping the session.
        """
        if str(out) not in sys.path:
            sys.path.insert(0, str(out))
        for service in self.model.services():
            package = self.package_name(service)
            try:
                generate(self.files, service=str(service.id), package=package, out=out)
                ctx = Context(
                    self.model,
                    select(self.model, str(service.id)),
                    package=package,
                    sources=[],
                )
                importlib.invalidate_caches()
                client = importlib.import_module(f"{package}.client")
                models = importlib.import_module(f"{package}.models")
                errors = importlib.import_module(f"{package}.errors")
            except (CodegenError, ImportError, SyntaxError) as exc:
                self._generated[str(service.id)] = (
                    f"generating {service.id} failed: {type(exc).__name__}: {exc}"
                )
                continue
            self._generated[str(service.id)] = Generated(
                ctx, package, client, Converter(ctx, models, errors)
            )

    def generated(self, case: Case) -> Generated:
        """The generated package of the case's service (AssertionError if none)."""
        found = self._generated.get(str(case.service.id))
        assert found is not None, "the suite's packages were not generated"
        assert isinstance(found, Generated), found
        return found


def iter_cases(suite: Suite, kind: Kind) -> Iterator[Case]:
    """The suite's cases of one kind, in model order."""
    return (c for c in suite.cases if c.kind == kind)


@functools.cache
def load_suite(directories: tuple[Path, ...], tag: str) -> Suite:
    """``Suite.load``, once per session for the same directories (collection and
    fixtures share it)."""
    return Suite.load(directories, tag)


def case_params(suite: Suite, kind: Kind, known: Mapping[str, str]) -> list[Any]:
    """pytest params for the suite's cases of one kind, named by case id.

    Server-only cases and cases for a protocol the service does not carry are
    collected as skips (visible, never counted as passed); known failures are
    strict xfails.
    """
    import pytest

    params: list[Any] = []
    seen: set[str] = set()
    for case in iter_cases(suite, kind):
        name = case.id if case.id not in seen else f"{case.id}-{case.service.id.name}"
        seen.add(name)
        marks: list[Any] = []
        if not case.for_client:
            marks.append(pytest.mark.skip(reason="appliesTo: server"))
        elif not case.protocol_supported:
            marks.append(
                pytest.mark.skip(
                    reason=f"{case.data.get('protocol')} is not a protocol of "
                    f"{case.service.id}"
                )
            )
        elif case.key in known:
            marks.append(pytest.mark.xfail(strict=True, reason=known[case.key]))
        params.append(pytest.param(case, id=name, marks=marks))
    return params
