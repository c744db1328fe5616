"""``README.md`` of a generated project, written from the model.

It shows what a newcomer needs first: install, construct a client, one call,
a paginator, catching a typed error, and the client's options. The example
calls an operation that needs no arguments (a paginated ``List*`` one when
there is one), so it runs as written against any endpoint of the service.
"""

from __future__ import annotations

from smithy_python.model import OperationShape

from smithygen.emit.context import Context
from smithygen.emit.docs import summary
from smithygen.emit.errors import common_errors_markdown
from smithygen.emit.operations import signature
from smithygen.emit.paginators import pagination
from smithygen.emit.project import ProjectInfo, description
from smithygen.emit.traits import get_trait

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
    ("interceptors", "`smithygen_runtime.Interceptor` objects whose hooks run at each stage of every call (e.g. `smithygen_runtime.interceptors.RequestIdLogger()`)"),
    ("protocol", "the wire protocol, for a service offering several (`awsJson1_0`, `rpcv2Cbor`); default: the one botocore uses"),
    ("request_checksum_calculation", "`\"when_supported\"` (a checksum on every request that supports one) or `\"when_required\"`; default from AWS_REQUEST_CHECKSUM_CALCULATION or the profile, else when_supported"),
    ("response_checksum_validation", "`\"when_supported\"` (ask for and check response checksums wherever offered) or `\"when_required\"`; default from AWS_RESPONSE_CHECKSUM_VALIDATION or the profile, else when_supported"),
)  # fmt: skip


_VERB_PREFERENCE = {"List": 0, "Describe": 1, "Get": 2}


def _verb(name: str) -> str:
    """The leading capitalised word of an operation name: ``List`` of ``ListSecrets``."""
    for index, char in enumerate(name[1:], start=1):
        if char.isupper():
            return name[:index]
    return name


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
    # Listing operations make the most natural first call.
    simple.sort(
        key=lambda op: _VERB_PREFERENCE.get(_verb(op.id.name), len(_VERB_PREFERENCE))
    )
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
    return (
        _readme_head(ctx, info, comment)
        + _readme_use(ctx)
        + _readme_options_and_reference(ctx, info)
    )


def _readme_head(ctx: Context, info: ProjectInfo, comment: str) -> str:
    """The title, what the package is, and how to install it."""
    about = summary(ctx.documentation(ctx.service))
    sources = ", ".join(f"`{s}`" for s in ctx.sources)
    return f"""{comment}
# {info.distribution}

{description(ctx)} ({sources}, service `{ctx.service.id}`), by
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

"""


def _readme_use(ctx: Context) -> str:
    """How to use the client: the example program and the errors it may raise."""
    return f"""## Use

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
"""


def _readme_options_and_reference(ctx: Context, info: ProjectInfo) -> str:
    """The client options, the versions and where the API reference is."""
    options = "\n".join(f"| `{name}` | {text} |" for name, text in CLIENT_OPTIONS)
    reference = (
        f"The API reference: <{info.docs_url}>."
        if info.docs_url
        else "Every public name carries the model's documentation: read it with"
        f" `python -m pydoc {ctx.package}`, or build an HTML reference with"
        f" [pdoc](https://pdoc.dev): `pdoc {ctx.package} smithygen_runtime`."
    )
    return f"""## Client options

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
