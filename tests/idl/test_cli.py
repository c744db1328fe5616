"""``smithygen ast`` as a user runs it: the installed console script, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT, require_shared
from tests.idl._corpus import SHARED_MODEL, VALID_DIR

SMITHYGEN = PROJECT_ROOT / ".venv" / "bin" / "smithygen"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = (
        [str(SMITHYGEN)]
        if SMITHYGEN.exists()
        else [sys.executable, "-m", "smithygen.cli"]
    )
    return subprocess.run(
        [*command, "ast", *map(str, args)], capture_output=True, text=True, timeout=60
    )


def test_valid_files_print_one_merged_ast_and_exit_zero() -> None:
    root = require_shared(*VALID_DIR)
    result = _run(root / "use" / "use-shapes.smithy", root / SHARED_MODEL)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    model = json.loads(result.stdout)
    assert model["smithy"] == "2.0"
    assert "metadata" not in model
    assert model["shapes"]["smithy.example#Widgets"]["member"] == {
        "target": "foo.example#Widget"
    }
    assert "foo.example#Widget" in model["shapes"]


def test_metadata_is_printed_when_a_file_sets_it() -> None:
    root = require_shared(*VALID_DIR)
    result = _run(root / "doc-comments" / "doc-comments.smithy")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["metadata"] == {"foo": ["bar"]}


def test_syntax_error_prints_file_line_column_and_nothing_on_stdout(
    tmp_path: Path,
) -> None:
    model = tmp_path / "broken.smithy"
    model.write_text(
        '$version: "2"\nnamespace a.b\n\nstructure Foo {\n    bar: String\n', "utf-8"
    )

    result = _run(model)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"{model}:6:1: Expected RBRACE('}}') but found EOF\n"


def test_syntax_errors_of_every_file_are_reported(tmp_path: Path) -> None:
    first = tmp_path / "first.smithy"
    first.write_text('$version: "2"\nnamespace a.b\nstring Foo Bar\n', "utf-8")
    second = tmp_path / "second.smithy"
    second.write_text(
        '$version: "2"\nnamespace a.b\nlist L {\n    member String\n}\n', "utf-8"
    )

    result = _run(first, second)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{first}:3:12: Expected a line break, but found IDENTIFIER('Bar')",
        f"{second}:4:12: Expected COLON(':') but found IDENTIFIER('String')",
    ]


def test_model_errors_name_the_shape_and_its_line(tmp_path: Path) -> None:
    model = tmp_path / "model.smithy"
    model.write_text(
        '$version: "2"\nnamespace a.b\n\nlist L {\n    member: Missing\n}\n', "utf-8"
    )

    result = _run(model)

    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{model}:5:13: a.b#L: member `member` targets ")
    assert "`a.b#Missing`" in line


def test_unreadable_and_malformed_inputs_are_diagnostics_not_tracebacks(
    tmp_path: Path,
) -> None:
    not_json = tmp_path / "model.json"
    not_json.write_text('{"smithy": "2.0", "shapes": {', "utf-8")
    not_utf8 = tmp_path / "latin1.smithy"
    not_utf8.write_bytes(b"namespace a.b\n/// caf\xe9\nstring S\n")

    result = _run(not_json, not_utf8, tmp_path / "missing.smithy")

    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{not_json}:1:")
    assert lines[1] == f"{not_utf8}:2:8: file is not valid UTF-8"
    assert lines[2].startswith(f"{tmp_path / 'missing.smithy'}:1:1: cannot read file")
