"""Behaviour issue 6 asks for that the code does not have yet: one marker each.

Every marker is a strict xfail naming the component and the fix. When the fix
lands, the marked tests pass, strict turns that into a failure, and the marker
is removed here (and from the tests that use it).
"""

from __future__ import annotations

import pytest

DEEP_JSON = pytest.mark.xfail(
    strict=True,
    raises=RecursionError,
    reason=(
        "runtime: a body nested deeper than the interpreter's recursion limit "
        "(e.g. 100,000 '[') makes json.loads raise RecursionError, which escapes "
        "raw. runtime/smithygen_runtime/_protocol.py parse_body catches only "
        "(ValueError, UnicodeDecodeError); add RecursionError there (-> "
        "ResponseParseError) and in build_service_error's json.loads (-> treat "
        "the body as unreadable, like non-JSON)."
    ),
)

UNCHECKED_SCALARS = pytest.mark.xfail(
    strict=True,
    raises=pytest.fail.Exception,
    reason=(
        "codegen: generated deserializers pass scalar members through unchecked "
        "(codegen/smithygen/emit/serde.py de_value, the `case _: return expr` "
        "branch; de_member_expr then emits a bare data.get(...)), so "
        '{"NextToken": 5} or {"TotalCount": "x"} or {"LastStatus": [1]} come out '
        "as outputs whose attributes break their declared types instead of a "
        "ResponseParseError. Emit an isinstance check for string/boolean/"
        "integer targets (bool excluded from int; enums: str before open_enum) "
        "raising TypeError, which BaseClient._deserialize already turns into "
        "ResponseParseError."
    ),
)
