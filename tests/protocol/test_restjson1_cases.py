"""The official restJson1 protocol compliance suite, run against generated clients.

Every ``httpRequestTests`` / ``httpResponseTests`` case of
``../shared/smithy/protocol-tests/restJson1`` (with its API Gateway and
Glacier service customizations) is one test named by its id, driven through
the shared harness (``harness.py``, ``runners.py``). Server-only cases
(``appliesTo: server``) are collected as skips, never counted as passed;
``httpMalformedRequestTests`` (malformedRequests/, validation/) are
server-side by definition and not collected. Cases the project cannot pass
yet are strict xfails in ``KNOWN_FAILURES`` below, each with its reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.conftest import require_shared, shared_dir
from tests.protocol.harness import Case, Suite, case_params, load_suite
from tests.protocol.runners import run_request_case, run_response_case

PARTS = (
    ("smithy", "protocol-tests", "restJson1"),
    ("smithy", "protocol-tests", "shared"),
    # smithy.framework#ValidationException, which the validation/ models use.
    ("smithy", "traits"),
)

_STREAMING = (
    "the operation has a @streaming blob member, and streaming operations are "
    "left out of generated clients until streaming blobs land (issue 14 item 2, "
    "branch issue-14-stream)"
)
_GLACIER = (
    "Glacier's UploadArchive / UploadMultipartPart take a @streaming blob body, "
    "so the operation is not generated until streaming blobs land (issue 14 item "
    "2, branch issue-14-stream); the Glacier customization itself (version "
    "header, account id '-', checksums) is tested in tests/restjson/"
)

KNOWN_FAILURES: dict[str, str] = {
    "request:RestJsonStreamingTraitsWithBlob": _STREAMING,
    "request:RestJsonStreamingTraitsWithNoBlobBody": _STREAMING,
    "response:RestJsonStreamingTraitsWithBlob": _STREAMING,
    "response:RestJsonStreamingTraitsWithNoBlobBody": _STREAMING,
    "request:RestJsonStreamingTraitsRequireLengthWithBlob": _STREAMING,
    "request:RestJsonStreamingTraitsRequireLengthWithNoBlobBody": _STREAMING,
    "request:RestJsonStreamingTraitsWithMediaTypeWithBlob": _STREAMING,
    "response:RestJsonStreamingTraitsWithMediaTypeWithBlob": _STREAMING,
    "request:GlacierVersionHeader": _GLACIER,
    "request:GlacierChecksums": _GLACIER,
    "request:GlacierAccountId": _GLACIER,
    "request:GlacierMultipartChecksums": _GLACIER,
}


def _directories() -> tuple[Path, ...]:
    return tuple(shared_dir().joinpath(*parts) for parts in PARTS)


def _suite_or_problem() -> Suite | str:
    directories = _directories()
    missing = [str(d) for d in directories if not d.is_dir()]
    if missing:
        return f"protocol test directories absent: {', '.join(missing)}"
    try:
        return load_suite(directories, "restjson1")
    except Exception as exc:  # reported by a failing test, not a collection crash
        return f"loading the restJson1 suite failed: {type(exc).__name__}: {exc}"


def _params(kind: str) -> list[Any]:
    suite = _suite_or_problem()
    if isinstance(suite, str):
        return [pytest.param(suite, id="suite-unavailable")]
    return case_params(suite, kind, KNOWN_FAILURES)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def restjson1_suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:
    """The suite with one client generated per service."""
    suite = _suite_or_problem()
    if isinstance(suite, str):
        for parts in PARTS:
            require_shared(*parts)  # skip, or fail under CI, when ../shared is absent
        pytest.fail(suite)
    suite.generate_all(tmp_path_factory.mktemp("restjson1-clients"))
    return suite


@pytest.mark.parametrize("case", _params("request"))
def test_request(case: Case | str, restjson1_suite: Suite) -> None:
    assert isinstance(case, Case)
    anyio.run(run_request_case, restjson1_suite.generated(case), case)


@pytest.mark.parametrize("case", _params("response"))
def test_response(case: Case | str, restjson1_suite: Suite) -> None:
    assert isinstance(case, Case)
    anyio.run(run_response_case, restjson1_suite.generated(case), case)


def test_every_client_case_belongs_to_a_service(restjson1_suite: Suite) -> None:
    """The one shape whose cases no service runs is server-only.

    http-accept.smithy's AcceptHeaderStarService is an operation bound to
    no service; both its cases are ``appliesTo: server``.
    """
    assert restjson1_suite.orphans == ["aws.protocoltests.misc#AcceptHeaderStarService"]
    from smithy_python.model import ShapeId, to_json

    shape = restjson1_suite.model.get_shape(
        ShapeId.from_string(restjson1_suite.orphans[0])
    )
    cases = to_json(shape.get_trait("smithy.test#httpRequestTests"))
    assert isinstance(cases, list) and len(cases) == 2
    assert {case["appliesTo"] for case in cases} == {"server"}


def test_known_failures_name_existing_client_cases(restjson1_suite: Suite) -> None:
    """A stale entry (a renamed or removed case) would silently hide nothing."""
    keys = {case.key for case in restjson1_suite.cases if case.for_client}
    assert set(KNOWN_FAILURES) <= keys, sorted(set(KNOWN_FAILURES) - keys)


def test_the_official_restjson1_suite_is_complete(restjson1_suite: Suite) -> None:
    """157 request cases (15 server-only) and 116 response cases (8 server-only)."""
    kinds = [(case.kind, case.for_client) for case in restjson1_suite.cases]
    assert kinds.count(("request", True)) == 142
    assert kinds.count(("request", False)) == 15
    assert kinds.count(("response", True)) == 108
    assert kinds.count(("response", False)) == 8
