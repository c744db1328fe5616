"""``model/ssm.smithy`` against the official AWS model of SSM.

The closure of DeleteInventory and DescribeInventoryDeletions must equal the
official one shape for shape, documentation aside; the only addition is the
``smithy.waiters#waitable`` trait on DescribeInventoryDeletions. Our own
documentation must cover every operation, structure and member.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jmespath
import pytest

from tests.conftest import PROJECT_ROOT, require_shared

NAMESPACE = "com.amazonaws.ssm"
SERVICE = f"{NAMESPACE}#AmazonSSM"
OPERATIONS = [f"{NAMESPACE}#DescribeInventoryDeletions", f"{NAMESPACE}#DeleteInventory"]
DOC = "smithy.api#documentation"
WAITABLE = "smithy.waiters#waitable"

Shapes = dict[str, Any]


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    module = pytest.importorskip("smithygen.idl")
    load_files: Callable[[Sequence[Path]], dict[str, Any]] | None = getattr(
        module, "load_files", None
    )
    if load_files is None:
        pytest.skip("smithygen.idl.load_files (the IDL loader) is not there yet")
    return load_files([PROJECT_ROOT / "model" / "ssm.smithy"])


@pytest.fixture(scope="module")
def official() -> dict[str, Any]:
    path = require_shared("aws-models", "ssm-2014-11-06.json")
    ast: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return ast


def references(shape: Mapping[str, Any]) -> Iterator[str]:
    for key in ("input", "output", "member", "key", "value"):
        if key in shape:
            yield shape[key]["target"]
    for member in shape.get("members", {}).values():
        yield member["target"]
    for key in ("errors", "mixins"):
        for ref in shape.get(key, []):
            yield ref["target"]


def closure(shapes: Shapes) -> Shapes:
    """The operations and every model shape they reach (prelude excluded)."""
    found: Shapes = {}
    pending = list(OPERATIONS)
    while pending:
        shape_id = pending.pop()
        if shape_id in found or shape_id not in shapes:
            continue
        found[shape_id] = shapes[shape_id]
        pending.extend(references(shapes[shape_id]))
    return found


def undocumented(original: Mapping[str, Any]) -> dict[str, Any]:
    shape: dict[str, Any] = copy.deepcopy(dict(original))
    shape.get("traits", {}).pop(DOC, None)
    for member in members(shape).values():
        member.get("traits", {}).pop(DOC, None)
        if member.get("traits") == {}:
            del member["traits"]
    if shape.get("traits") == {}:
        del shape["traits"]
    return shape


def members(shape: Mapping[str, Any]) -> dict[str, Any]:
    found = dict(shape.get("members", {}))
    for key in ("member", "key", "value"):
        if key in shape:
            found[key] = shape[key]
    return found


def test_the_ast_is_smithy_2_0(ours: dict[str, Any]) -> None:
    assert ours["smithy"] == "2.0"


def test_closure_has_the_33_official_shapes(
    ours: dict[str, Any], official: dict[str, Any]
) -> None:
    our_closure = closure(ours["shapes"])
    official_closure = closure(official["shapes"])
    assert len(official_closure) == 33
    assert sorted(our_closure) == sorted(official_closure)


def test_every_shape_equals_the_official_one_but_for_docs_and_the_waiter(
    ours: dict[str, Any], official: dict[str, Any]
) -> None:
    our_closure = closure(ours["shapes"])
    official_closure = closure(official["shapes"])
    differences = []
    for shape_id, official_shape in official_closure.items():
        mine = undocumented(our_closure[shape_id])
        if shape_id == OPERATIONS[0]:
            assert WAITABLE in mine["traits"]
            del mine["traits"][WAITABLE]
        if mine != undocumented(official_shape):
            differences.append(shape_id)
    assert differences == []
    # The waiter is the one addition: the official operation has none.
    assert WAITABLE not in official_closure[OPERATIONS[0]].get("traits", {})


def test_service_keeps_every_official_trait_but_documentation(
    ours: dict[str, Any], official: dict[str, Any]
) -> None:
    mine = ours["shapes"][SERVICE]
    theirs = official["shapes"][SERVICE]
    assert mine["version"] == theirs["version"] == "2014-11-06"
    assert sorted(op["target"] for op in mine["operations"]) == sorted(OPERATIONS)
    official_traits = {k: v for k, v in theirs["traits"].items() if k != DOC}
    assert "smithy.rules#endpointTests" in official_traits
    assert {k: v for k, v in mine["traits"].items() if k != DOC} == official_traits


def test_every_operation_structure_and_member_is_documented(
    ours: dict[str, Any],
) -> None:
    missing = []
    for shape_id, shape in [
        *closure(ours["shapes"]).items(),
        (SERVICE, ours["shapes"][SERVICE]),
    ]:
        if shape["type"] in ("operation", "structure", "service", "enum"):
            if not shape.get("traits", {}).get(DOC, "").strip():
                missing.append(shape_id)
            for name, member in members(shape).items():
                if not member.get("traits", {}).get(DOC, "").strip():
                    missing.append(f"{shape_id}${name}")
    assert missing == []


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_documentation_is_written_in_our_own_words(
    ours: dict[str, Any], official: dict[str, Any]
) -> None:
    def docs(shapes: Shapes) -> Iterator[tuple[str, str]]:
        for shape_id, shape in shapes.items():
            yield shape_id, shape.get("traits", {}).get(DOC, "")
            for name, member in members(shape).items():
                yield f"{shape_id}${name}", member.get("traits", {}).get(DOC, "")

    our_text = " ".join(_plain(text) for _, text in docs(ours["shapes"]))
    copied = [
        where
        for where, text in docs(closure(official["shapes"]))
        if len(_plain(text)) > 30 and _plain(text) in our_text
    ]
    assert copied == []


def test_deletion_completed_waiter_acceptors(ours: dict[str, Any]) -> None:
    # additional-specs_waiters.rst: an error no acceptor matches ends the wait in
    # failure, so the not-yet-visible deletion id needs an explicit retry acceptor.
    waiters = ours["shapes"][OPERATIONS[0]]["traits"][WAITABLE]
    assert list(waiters) == ["DeletionCompleted"]
    waiter = waiters["DeletionCompleted"]
    assert waiter["documentation"]
    assert 1 <= waiter["minDelay"] <= waiter["maxDelay"] <= 120
    success = [a for a in waiter["acceptors"] if a["state"] == "success"]
    assert success == [
        {
            "state": "success",
            "matcher": {
                "output": {
                    "path": "InventoryDeletions[].LastStatus",
                    "expected": "Complete",
                    "comparator": "allStringEquals",
                }
            },
        }
    ]
    assert {
        "state": "retry",
        "matcher": {"errorType": "InvalidDeletionIdException"},
    } in (waiter["acceptors"])
    assert not any(
        a["state"] == "failure" and "InvalidDeletionId" in json.dumps(a["matcher"])
        for a in waiter["acceptors"]
    )
    page = {
        "InventoryDeletions": [
            {"DeletionId": "a", "LastStatus": "InProgress"},
            {"DeletionId": "b", "LastStatus": "Complete"},
        ]
    }
    path = success[0]["matcher"]["output"]["path"]
    assert jmespath.search(path, page) == ["InProgress", "Complete"]
