"""``smithygen idl``: JSON AST files in, IDL documents out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from smithygen.cli import main
from smithygen.idl.writer import write_idl

AST = {
    "smithy": "2.0",
    "shapes": {
        "a.ns#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 1}}},
        "b.ns#Holder": {
            "type": "structure",
            "members": {"name": {"target": "a.ns#Name"}},
        },
    },
}


def test_idl_writes_one_file_per_namespace(tmp_path: Path) -> None:
    source = tmp_path / "model.json"
    source.write_text(json.dumps(AST), encoding="utf-8")
    assert main(["idl", str(source), "--out", str(tmp_path / "out")]) == 0
    written = {
        p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()
    }
    expected = write_idl(AST)
    assert written == {f"{ns}.smithy": text for ns, text in expected.items()}
    assert "use a.ns#Name\n" in written["b.ns.smithy"]


def test_idl_prints_a_one_namespace_model_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = {"smithy": "2.0", "shapes": {"a.ns#Name": AST["shapes"]["a.ns#Name"]}}
    source = tmp_path / "model.json"
    source.write_text(json.dumps(one), encoding="utf-8")
    assert main(["idl", str(source)]) == 0
    assert capsys.readouterr().out == write_idl(one)["a.ns"]


def test_idl_refuses_to_print_several_namespaces_as_one_stream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "model.json"
    source.write_text(json.dumps(AST), encoding="utf-8")
    assert main(["idl", str(source)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "smithygen: the model spans 2 namespaces (a.ns, b.ns); an IDL file holds "
        "one: use --out DIR to write one file per namespace\n"
    )


def test_idl_reports_a_model_it_cannot_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "model.json"
    bad = {
        "smithy": "2.0",
        "shapes": {"a.ns#Odd": {"type": "float", "traits": {"a.ns#t": 1e999}}},
    }
    source.write_text(json.dumps(bad), encoding="utf-8")
    status = main(["idl", str(source)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert captured.err == "smithygen: inf is not a Smithy number\n"
