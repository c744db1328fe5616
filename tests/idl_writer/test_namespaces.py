"""Models that span several namespaces: one IDL file each, read back equal.

Some official models do (Transfer Family, Deadline Cloud); an IDL file holds
exactly one namespace (idl.rst, "Namespaces"), so ``smithygen idl MODEL --out
DIR`` writes one file per namespace and ``smithygen ast DIR`` reads them back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from smithygen.cli import main
from smithygen.idl import load_files
from smithygen.idl.writer import write_idl

from tests.conftest import require_shared

# Three namespaces that refer to each other in every way a shape can: member
# targets, traits defined elsewhere, mixins, service/resource/operation
# bindings, an apply to a member copied from another namespace's mixin, a
# shape that shadows a prelude name, and metadata (global, written once).
MODEL: dict[str, Any] = {
    "smithy": "2.0",
    "metadata": {"suppressions": [{"id": "X", "namespace": "*"}], "owner": "acme"},
    "shapes": {
        "acme.traits#audited": {
            "type": "structure",
            "members": {"level": {"target": "smithy.api#Integer"}},
            "traits": {"smithy.api#trait": {"selector": "*"}},
        },
        "acme.traits#Base": {
            "type": "structure",
            "members": {"id": {"target": "acme.store#String"}},
            "traits": {"smithy.api#mixin": {}},
        },
        "acme.store#String": {
            "type": "string",
            "traits": {"smithy.api#pattern": "^[a-z]+$"},
        },
        "acme.store#Item": {
            "type": "structure",
            "members": {
                "name": {"target": "smithy.api#String"},
                "code": {"target": "acme.store#String"},
            },
            "mixins": [{"target": "acme.traits#Base"}],
            "traits": {"acme.traits#audited": {"level": 2}},
        },
        "acme.store#Item$id": {
            "type": "apply",
            "traits": {"smithy.api#required": {}},
        },
        "acme.api#Store": {
            "type": "service",
            "version": "1",
            "operations": [{"target": "acme.api#GetItem"}],
            "resources": [{"target": "acme.store#Shelf"}],
        },
        "acme.store#Shelf": {
            "type": "resource",
            "identifiers": {"shelfId": {"target": "acme.store#String"}},
            "read": {"target": "acme.api#GetShelf"},
        },
        "acme.api#GetShelf": {
            "type": "operation",
            "input": {"target": "acme.api#GetShelfInput"},
            "output": {"target": "smithy.api#Unit"},
            "traits": {"smithy.api#readonly": {}},
        },
        "acme.api#GetShelfInput": {
            "type": "structure",
            "members": {
                "shelfId": {
                    "target": "acme.store#String",
                    "traits": {"smithy.api#required": {}},
                }
            },
            "traits": {"smithy.api#input": {}},
        },
        "acme.api#GetItem": {
            "type": "operation",
            "input": {"target": "smithy.api#Unit"},
            "output": {"target": "acme.store#Item"},
        },
    },
}


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_each_namespace_gets_its_own_document() -> None:
    documents = write_idl(MODEL)
    assert list(documents) == ["acme.traits", "acme.store", "acme.api"]
    for namespace, text in documents.items():
        assert text.count("$version") == 1
        assert text.count("\nnamespace ") == 1
        assert f"\nnamespace {namespace}\n" in text
    # Metadata is global: written once, or its arrays would be concatenated.
    assert [text.count("\nmetadata ") for text in documents.values()] == [2, 0, 0]


def test_cli_out_dir_round_trips_through_ast_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path, "model.json", MODEL)
    out = tmp_path / "idl"

    assert main(["idl", str(source), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "acme.api.smithy",
        "acme.store.smithy",
        "acme.traits.smithy",
    ]
    capsys.readouterr()
    assert main(["ast", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)

    assert printed["metadata"] == MODEL["metadata"]
    assert printed["shapes"] == load_files([source])["shapes"]


def test_two_official_models_together_round_trip(tmp_path: Path) -> None:
    """SSM and Secrets Manager loaded as one model span two namespaces."""
    models = [
        require_shared("aws-models", "ssm-2014-11-06.json"),
        require_shared("aws-models", "secrets-manager-2017-10-17.json"),
    ]
    merged = load_files(models)
    out = tmp_path / "idl"
    assert main(["idl", *map(str, models), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "com.amazonaws.secretsmanager.smithy",
        "com.amazonaws.ssm.smithy",
    ]
    assert load_files([out]) == merged
