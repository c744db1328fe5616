"""A generated package imported for a test session, and its client over a
mock transport: the set-up the restXml, rpcv2Cbor and loopback tests share."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from smithygen.generate import generate
from smithygen_runtime import Credentials, RetryConfig

# The SigV4 test suite's example key pair (never a real one).
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")


def import_generated_package(
    out: Path,
    models: Sequence[Path],
    service: str,
    package: str,
    modules: Sequence[str] = (),
) -> Iterator[ModuleType]:
    """A fixture body: ``package`` generated from ``models`` into ``out`` and
    imported, with its submodules ``modules``.

    Taken off ``sys.path`` and ``sys.modules`` afterwards, so another test
    may generate a package of the same name from another model.
    """
    generate(list(models), service=service, package=package, out=out)
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    imported = importlib.import_module(package)
    for module in modules:
        importlib.import_module(f"{package}.{module}")
    yield imported
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.startswith(package)]:
        del sys.modules[name]


def client_on_mock_transport(
    client_class: Any,
    handler: Callable[[httpx.Request], httpx.Response],
    endpoint_url: str,
    **options: Any,
) -> tuple[Any, httpx.AsyncClient]:
    """(a generated client answered by ``handler``, the httpx client to close):
    us-east-1, the example credentials, a single attempt; ``options`` go to
    the client."""
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = client_class(
        region="us-east-1",
        endpoint_url=endpoint_url,
        credentials=CREDENTIALS,
        http_client=http,
        retry=RetryConfig(max_attempts=1),
        **options,
    )
    return client, http
