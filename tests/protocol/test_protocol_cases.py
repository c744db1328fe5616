"""Any Smithy protocol compliance suite, chosen with ``PROTOCOL_TESTS``.

``PROTOCOL_TESTS=DIR1:DIR2 .venv/bin/python -m pytest tests/protocol/test_protocol_cases.py``
loads every model under those directories and runs their cases through the same
harness as the official suites (one module each, ``test_<suite>_cases.py``).
Without ``PROTOCOL_TESTS`` this module collects nothing: the official suites
run from their own modules.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.protocol.suites import SuiteSource, suite_tests


def _chosen() -> tuple[Path, ...]:
    return tuple(Path(p) for p in os.environ.get("PROTOCOL_TESTS", "").split(":") if p)


if _chosen():
    suite_tests(SuiteSource(tag="chosen", directories=_chosen, shared=False), globals())
