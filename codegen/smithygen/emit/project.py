"""The installable project around a generated package.

``smithygen generate --out DIR`` makes DIR a project that ``pip install DIR``
installs with no other step (as openapi-python-client emits one per API):
``pyproject.toml``, ``README.md`` and ``LICENSE`` beside the package, and in
the package a ``version`` module (package, generator and model versions, and
the runtime contract it needs, checked on import) and a ``config`` module
(the client's option classes, apart from model shapes that may share a name).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from packaging.version import InvalidVersion, Version
from smithy_python.model import OperationShape

from smithygen import __version__ as GENERATOR_VERSION
from smithygen.emit.context import Context
from smithygen.emit.docs import summary
from smithygen.emit.errors import common_errors_markdown
from smithygen.emit.operations import signature
from smithygen.emit.paginators import pagination
from smithygen.emit.traits import get_trait
from smithygen.errors import GenerationError

RUNTIME_CONTRACT = "1.1"
"""The ``smithygen_runtime.CONTRACT_VERSION`` the emitted code is written for."""
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

# The client options a README lists, with one line each. tests/codegen/
# test_project.py checks that the names are exactly BaseClient.__init__'s
# keyword parameters, so a new runtime option fails there until it is added.
CLIENT_OPTIONS: tuple[tuple[str, str], ...] = (
    ("region", "AWS region; default from AWS_REGION, AWS_DEFAULT_REGION or the profile"),
    ("endpoint_url", "fixed endpoint, e.g. a local emulator; default from AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's services section or endpoint_url, or the model's endpoint rules"),
    ("credentials", "explicit `config.Credentials`; default: the standard AWS chain (environment, shared files, SSO, web identity, container, IMDS)"),
    ("profile", "named profile of the AWS config and credentials files; default from AWS_PROFILE"),
    ("timeout", "seconds, or `config.Timeouts(connect=..., read=..., ...)`"),
    ("max_attempts", "attempts per call, the first included; default from AWS_MAX_ATTEMPTS, the profile, else 3 (legacy: 5)"),
    ("retry", "`config.RetryConfig`: backoff and retry quota tuning"),
    ("deadline", "seconds for a whole call, every attempt and backoff included"),
    ("http_client", "your own `httpx.AsyncClient` (you close it)"),
    ("validate", "`False` skips the model's input constraint checks"),
    ("use_fips", "FIPS endpoints; default from AWS_USE_FIPS_ENDPOINT or the profile"),
    ("use_dual_stack", "dual-stack (IPv6) endpoints; default from AWS_USE_DUALSTACK_ENDPOINT or the profile"),
    ("verify", "TLS verification: a CA bundle path, `True`, `False` or an `ssl.SSLContext`; default from AWS_CA_BUNDLE or the profile's ca_bundle"),
    ("max_connections", "connection pool size of the client's own httpx client (default 10)"),
    ("retry_mode", "`\"standard\"`, `\"legacy\"` or `\"adaptive\"`; default from AWS_RETRY_MODE or the profile"),
    ("user_agent_extra", "text appended to the User-Agent (the app id comes from AWS_SDK_UA_APP_ID or the profile)"),
    ("client_context", "the service's endpoint options (`<Client>.ClientContext`, from the model's clientContextParams)"),
    ("account_id_endpoint_mode", "`preferred`, `disabled` or `required`; default from AWS_ACCOUNT_ID_ENDPOINT_MODE or the profile"),
    ("endpoint_discovery", "`True`/`False` switches endpoint discovery; default from AWS_ENDPOINT_DISCOVERY_ENABLED or the profile (required operations only)"),
)  # fmt: skip


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
RUNTIME_CONTRACT = {_toml(RUNTIME_CONTRACT)}
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
        + f"description = {_toml(_description(ctx))}\n"
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


def _description(ctx: Context) -> str:
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


# --- README -----------------------------------------------------------------


def _callable_without_arguments(ctx: Context, op: OperationShape) -> bool:
    sig = signature(ctx, op)
    return all(m.optional or m.has_default for m in sig.members)


def _example_operations(
    ctx: Context,
) -> tuple[OperationShape | None, OperationShape | None]:
    """An operation to call with no arguments, and a paginated one, if any.

    A paginated operation that needs no arguments serves for both.
    """
    simple = [op for op in ctx.operations if _callable_without_arguments(ctx, op)]
    paginated = [op for op in ctx.operations if pagination(ctx, op) is not None]
    both = [op for op in simple if op in paginated]
    call = both[0] if both else (simple[0] if simple else None)
    pages = both[0] if both else (paginated[0] if paginated else None)
    if pages is not None and not _callable_without_arguments(ctx, pages):
        pages = None  # its arguments cannot be made up for a README
    return call, pages


def _example_error(ctx: Context, op: OperationShape) -> str | None:
    """The class of one of the operation's errors, the caller's fault ones first."""
    errors = sorted(op.errors, key=str)
    client_faults = [
        e for e in errors if get_trait(ctx.model.get_shape(e), "error") == "client"
    ]
    chosen = (client_faults or errors)[:1]
    return ctx.class_names[chosen[0]] if chosen else None


def _example_program(ctx: Context) -> str:
    call, pages = _example_operations(ctx)
    error = _example_error(ctx, call) if call is not None else None
    imports = sorted({ctx.client_class, ctx.base_error, *([error] if error else [])})
    lines = [
        "import anyio",
        "",
        f"from {ctx.package} import {', '.join(imports)}",
        "",
        "",
        "async def main() -> None:",
        f"    async with {ctx.client_class}() as client:",
    ]
    if call is not None:
        method = ctx.method_names[call.id]
        lines += [
            "        try:",
            f"            result = await client.{method}()",
            "            print(result)",
        ]
        if error:
            lines += [
                f"        except {error} as error:  # one of the operation's own errors",
                "            print(error.code, error.message)",
            ]
        lines += [
            f"        except {ctx.base_error} as error:  # any error the service returns",
            "            print(error.code, error.message, error.request_id)",
        ]
    if pages is not None:
        method = ctx.method_names[pages.id]
        lines += [
            f"        async for page in client.paginate_{method}():",
            "            print(page)",
        ]
    if call is None and pages is None:
        lines.append("        print(client)")
    lines += ["", "", "anyio.run(main)"]
    return "\n".join(lines) + "\n"


def emit_readme(ctx: Context, info: ProjectInfo, comment: str) -> str:
    """``README.md``: install, construct, call, paginate, typed errors, options."""
    about = summary(ctx.documentation(ctx.service))
    options = "\n".join(f"| `{name}` | {text} |" for name, text in CLIENT_OPTIONS)
    sources = ", ".join(f"`{s}`" for s in ctx.sources)
    reference = (
        f"The API reference: <{info.docs_url}>."
        if info.docs_url
        else "Every public name carries the model's documentation: read it with"
        f" `python -m pydoc {ctx.package}`, or build an HTML reference with"
        f" [pdoc](https://pdoc.dev): `pdoc {ctx.package} smithygen_runtime`."
    )
    return f"""{comment}
# {info.distribution}

{_description(ctx)} ({sources}, service `{ctx.service.id}`), by
[smithygen](https://pypi.org/project/smithygen/).
{f"{chr(10)}> {about}{chr(10)}" if about else ""}
## Install

Python 3.11 or newer. The package depends on `smithygen-runtime` (the
hand-written transport, signing, retries and endpoint resolution every
smithygen client shares) and attrs.

```console
pip install {info.distribution}
```

or, from this folder, `pip install .`.

## Use

Credentials, region and endpoint come from the standard AWS configuration
(environment variables, `~/.aws/config`, `~/.aws/credentials`, SSO, container
and instance roles) unless passed to the client. Every method is async and
takes keyword arguments; it runs under asyncio or trio.

```python
{_example_program(ctx)}```

Errors the service returns derive from `{ctx.base_error}` (one class per modeled
error, with `code`, `message`, `status_code` and `request_id`); bad input raises
`ValidationError` before anything is sent; network failures raise
`TransportError`. All are importable from `{ctx.package}`.

{common_errors_markdown(ctx)}
## Client options

All keyword-only, all optional. The option classes are importable from
`{ctx.package}.config` (`Credentials`, `Timeouts`, `RetryConfig`).

| option | meaning |
|---|---|
{options}

## Versions

`{ctx.package}.__version__` is this project's version. `{ctx.package}.version`
records the smithygen version that generated it, the model files and the
`smithygen_runtime` contract it needs; importing the package with an
incompatible runtime raises ImportError naming both versions.

## API reference

{reference}
"""
