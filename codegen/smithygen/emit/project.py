"""The installable project around a generated package.

``smithygen generate --out DIR`` makes DIR a project that ``pip install DIR``
installs with no other step (as openapi-python-client emits one per API):
``pyproject.toml`` and ``LICENSE`` here, ``README.md`` in ``readme.py``, and in
the package a ``version`` module (package, generator and model versions, and
the runtime contract it needs, checked on import) and a ``config`` module
(the client's option classes, apart from model shapes that may share a name).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from packaging.version import InvalidVersion, Version

from smithygen import __version__ as GENERATOR_VERSION
from smithygen.emit.context import Context
from smithygen.emit.event_stream import initial_required
from smithygen.emit.serde import uses_json_readers
from smithygen.emit.traits import get_trait, has_trait
from smithygen.errors import GenerationError

RUNTIME_CONTRACT = "1.10"
"""The ``smithygen_runtime.CONTRACT_VERSION`` the generator writes code for."""
# The contract a package's code needs: the oldest that has every runtime name
# it uses, so regenerating an awsJson package does not raise its requirement.
_AWS_JSON_CONTRACT = "1.2"
# rpcv2Cbor, ServiceSpec.protocols and query_compatible, OperationSpec.has_input
# and other_serializers.
_RPCV2_CBOR_CONTRACT = "1.3"
_HTTP_BINDINGS_CONTRACT = "1.3"  # HttpBinding, HttpMember (restJson1)
# WireSchema and the Xml* layouts (awsQuery, ec2Query, restXml), and
# OperationSpec.unsigned (an operation with smithy.api#auth([])).
_XML_CONTRACT = "1.4"
# StreamSpec, EventReader, EventMessage, ByteStream... (issue 14, streaming).
_STREAMING_CONTRACT = "1.5"
# ChecksumSpec, OperationSpec.checksum (aws.protocols#httpChecksum: S3).
_CHECKSUM_CONTRACT = "1.7"
# StreamSpec.initial_required (an output event stream whose initial response
# has required members); wait(sleep=) and BaseClient._waiter_sleep (waiters).
_CONTRACT_1_8 = "1.8"
# JsonReaders and the deserializer tables (member, shape, variant, the
# kinds): every package that reads a structure, union, list or map (1.6 and
# 1.9, output_constructor, are what tables build with, inside the runtime).
_JSON_READERS_CONTRACT = "1.10"


def required_contract(ctx: Context) -> str:
    """The runtime contract the package generated for ``ctx`` needs."""
    if uses_json_readers(ctx):
        return _JSON_READERS_CONTRACT
    if _has_required_initial_response(ctx) or _has_waiters(ctx):
        return _CONTRACT_1_8
    if any(has_trait(op, "aws.protocols#httpChecksum") for op in ctx.operations):
        return _CHECKSUM_CONTRACT
    if _has_streaming(ctx):
        return _STREAMING_CONTRACT
    if ctx.uses_wire_schema or any(
        get_trait(op, "auth") == () for op in ctx.operations
    ):
        return _XML_CONTRACT
    if ctx.protocol == "restJson1":
        return _HTTP_BINDINGS_CONTRACT
    if "rpcv2Cbor" in ctx.protocols or has_trait(
        ctx.service, "aws.protocols#awsQueryCompatible"
    ):
        return _RPCV2_CBOR_CONTRACT
    return _AWS_JSON_CONTRACT


def _has_waiters(ctx: Context) -> bool:
    """Whether the package has a waiter (``emit.waiters`` leaves deprecated ones out)."""
    for op in ctx.operations:
        waitable = get_trait(op, "smithy.waiters#waitable")
        if isinstance(waitable, Mapping) and any(
            isinstance(w, Mapping) and w.get("deprecated") is not True
            for w in waitable.values()
        ):
            return True
    return False


def _has_required_initial_response(ctx: Context) -> bool:
    """Whether an output event stream comes with required initial members."""
    for op in ctx.operations:
        member = ctx.stream_member(op.output)
        if (
            member is not None
            and member.event_stream
            and initial_required(ctx, ctx.model.get_shape(op.output))
        ):
            return True
    return False


def _has_streaming(ctx: Context) -> bool:
    """Whether an operation of the package has a @streaming member."""
    return any(
        ctx.stream_member(shape_id) is not None
        for op in ctx.operations
        for shape_id in (op.input, op.output)
    )


RUNTIME_REQUIREMENT = "smithygen-runtime~=0.1.0"
"""The runtime releases that keep that contract (compatible-release range)."""
ATTRS_REQUIREMENT = "attrs>=23.2"
"""Generated models are attrs classes, so the project names attrs itself."""
REQUIRES_PYTHON = ">=3.11"
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
LICENSE_ID = "Apache-2.0"
"""The license of generated projects: that of the AWS models they come from."""

# PEP 508 distribution names (the packaging specification's regular expression).
_DISTRIBUTION = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """What the project files say about the package besides the model."""

    distribution: str
    version: str
    docs_url: str | None = None


def project_info(
    package: str,
    *,
    distribution: str | None = None,
    version: str = "0.1.0",
    docs_url: str | None = None,
) -> ProjectInfo:
    """Check the project options; the distribution name defaults to the package's."""
    name = distribution if distribution is not None else package.replace("_", "-")
    if not _DISTRIBUTION.match(name):
        raise GenerationError(
            f"--distribution {name!r} is not a valid distribution name "
            "(letters, digits, '.', '_' and '-', starting and ending alphanumeric)"
        )
    try:
        Version(version)
    except InvalidVersion:
        raise GenerationError(
            f"--version {version!r} is not a PEP 440 version (e.g. 0.1.0, 1.2.3rc1)"
        ) from None
    if docs_url is not None and not _URL.match(docs_url):
        raise GenerationError(f"--docs-url {docs_url!r} is not an http(s) URL")
    return ProjectInfo(distribution=name, version=version, docs_url=docs_url)


def _toml(value: str) -> str:
    # JSON's string escapes are a subset of TOML basic strings'.
    return json.dumps(value)


def emit_version_module(ctx: Context, header: str, info: ProjectInfo) -> str:
    """``version.py``: what the package was made from, and the runtime check."""
    sources = "".join(f"    {_toml(s)},\n" for s in ctx.sources)
    return f'''{header}"""Where this package comes from, and the runtime contract it needs.

Importing the package runs ``check_runtime``: a ``smithygen_runtime`` whose
contract differs in MAJOR, or is older in MINOR, than ``RUNTIME_CONTRACT``
raises ImportError naming both versions. The check is written out here rather
than in the runtime because it must also work with a runtime too old to have it.
"""

import smithygen_runtime

__version__ = {_toml(info.version)}
"""The version of the ``{info.distribution}`` distribution."""
GENERATOR_VERSION = {_toml(GENERATOR_VERSION)}
"""The version of smithygen that wrote this package."""
MODEL_FILES: tuple[str, ...] = (
{sources})
"""The model files the package was generated from."""
SERVICE_ID = {_toml(str(ctx.service.id))}
RUNTIME_CONTRACT = {_toml(required_contract(ctx))}
"""The ``smithygen_runtime.CONTRACT_VERSION`` this code was generated for."""
RUNTIME_REQUIREMENT = {_toml(RUNTIME_REQUIREMENT)}


def _compatible(found: object) -> bool:
    needed_major, needed_minor = RUNTIME_CONTRACT.split(".")
    major, _, minor = str(found).partition(".")
    return major == needed_major and minor.isdigit() and int(minor) >= int(needed_minor)


def check_runtime() -> None:
    """Raise ImportError unless the installed runtime keeps ``RUNTIME_CONTRACT``."""
    found = getattr(smithygen_runtime, "CONTRACT_VERSION", None)
    if found is not None and _compatible(found):
        return
    release = getattr(smithygen_runtime, "__version__", "(unknown)")
    raise ImportError(
        f"{{__package__}} {{__version__}} needs smithygen-runtime contract "
        f"{{RUNTIME_CONTRACT}}, but the installed smithygen-runtime {{release}} has "
        f"contract {{found or 'none'}}: install {{RUNTIME_REQUIREMENT!r}}"
    )


check_runtime()
'''


def emit_config_module(ctx: Context, header: str) -> str:
    """``config.py``: the option classes of the client, importable from the package."""
    return (
        f'{header}"""Option classes of ``{ctx.client_class}``: credentials, timeouts, retries.\n\n'
        "They are the runtime's classes, here so that a program needs to import\n"
        "only this package; they live apart from the package root, where a model\n"
        "shape may have the same name.\n"
        '"""\n\n'
        "from smithygen_runtime import Credentials, RetryConfig, Timeouts\n\n"
        '__all__ = ["Credentials", "RetryConfig", "Timeouts"]\n'
    )


def emit_pyproject(ctx: Context, info: ProjectInfo, header: str) -> str:
    """``pyproject.toml``: complete metadata, setuptools as the build backend."""
    classifiers = [
        "Development Status :: 3 - Alpha",
        "Framework :: AnyIO",
        "Framework :: AsyncIO",
        "Framework :: Trio",
        "Intended Audience :: Developers",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        *(f"Programming Language :: Python :: {v}" for v in PYTHON_VERSIONS),
        "Topic :: Software Development :: Libraries",
        "Typing :: Typed",
    ]
    keywords = ["aws", ctx.sdk_id.lower(), "smithy", "sdk", "async", "typed"]
    urls = (
        f"\n[project.urls]\nDocumentation = {_toml(info.docs_url)}\n"
        if info.docs_url
        else ""
    )
    data = ["py.typed"] + (["endpoint_rules.json"] if ctx.endpoint_ruleset else [])
    return (
        header
        + '[build-system]\nrequires = ["setuptools>=77"]\n'
        + 'build-backend = "setuptools.build_meta"\n\n'
        + "[project]\n"
        + f"name = {_toml(info.distribution)}\n"
        + f"version = {_toml(info.version)}\n"
        + f"description = {_toml(description(ctx))}\n"
        + 'readme = "README.md"\n'
        + f"requires-python = {_toml(REQUIRES_PYTHON)}\n"
        + f"license = {_toml(LICENSE_ID)}\n"
        + 'license-files = ["LICENSE"]\n'
        + f"keywords = {_toml_list(dict.fromkeys(keywords))}\n"
        + f"classifiers = {_toml_list(classifiers)}\n"
        + f"dependencies = {_toml_list([RUNTIME_REQUIREMENT, ATTRS_REQUIREMENT])}\n"
        + urls
        + "\n[tool.setuptools]\n"
        + f"packages = [{_toml(ctx.package)}]\n\n"
        + "[tool.setuptools.package-data]\n"
        + f"{ctx.package} = {_toml_list(data)}\n"
    )


def _toml_list(items: Iterable[str]) -> str:
    return "[\n" + "".join(f"    {_toml(v)},\n" for v in items) + "]"


def description(ctx: Context) -> str:
    """The one-line summary of the project (pyproject and README)."""
    return (
        f"Typed async Python client for {ctx.sdk_id}, generated from its Smithy model"
    )


def license_text() -> str:
    """The Apache-2.0 license text, shipped with the generator."""
    return (
        resources.files("smithygen")
        .joinpath("licenses", "Apache-2.0.txt")
        .read_text(encoding="utf-8")
    )
