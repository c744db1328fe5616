"""Every case of Smithy's invalid IDL corpus is rejected cleanly, at the right line.

Line 1 of each case holds the reference loader's message; when it names a
line, one of our diagnostics must name the same line.  Through the CLI the
rejection is exit status 1, ``FILE:LINE:COLUMN: message`` lines on stderr and
nothing on stdout.
"""

from __future__ import annotations

from typing import Any

import pytest
from smithygen.cli import main
from smithygen.errors import ModelSyntaxError
from smithygen.idl import load_files

from tests.conftest import require_shared
from tests.idl._corpus import (
    INVALID_DIR,
    SHARED_MODEL,
    VALID_DIR,
    corpus_cases,
    reference_line,
)

#: Cases we do not pass yet, with the reason.  Each is a strict xfail: when
#: one starts passing the suite fails until it is taken off this list.
KNOWN_FAILURES: dict[str, str] = {}


def _case(case: str) -> Any:
    reason = KNOWN_FAILURES.get(case)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, marks=marks, id=case)


CASES = [_case(case) for case in corpus_cases(*INVALID_DIR)]


@pytest.mark.parametrize("case", CASES)
def test_invalid_case_is_rejected_at_the_reference_line(case: str) -> None:
    source = require_shared(*INVALID_DIR) / case
    shared = require_shared(*VALID_DIR) / SHARED_MODEL

    with pytest.raises(ModelSyntaxError) as caught:
        load_files([source, shared])

    diagnostics = caught.value.diagnostics
    assert diagnostics, "a rejection must say why"
    assert all(
        d.file == str(source) and d.line >= 1 and d.column >= 1 for d in diagnostics
    )
    assert all(d.message for d in diagnostics)
    line = reference_line(source)
    if line is not None:
        assert line in [d.line for d in diagnostics], (
            line,
            [str(d) for d in diagnostics],
        )


@pytest.mark.parametrize("case", CASES)
def test_invalid_case_through_the_cli_prints_only_diagnostics(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = require_shared(*INVALID_DIR) / case

    status = main(["ast", str(source)])

    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines
    assert all(line.startswith(f"{source}:") for line in lines)
