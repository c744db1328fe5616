"""A query package asks for the runtime contract that has the names it uses."""

from __future__ import annotations

import importlib
from types import ModuleType

import smithygen_runtime


def test_a_query_package_needs_the_contract_with_the_xml_layouts(
    sts: ModuleType,
) -> None:
    """1.4 added WireSchema, the Xml* layouts and OperationSpec.unsigned; 1.10
    the deserializer tables, which read its XML documents too."""
    version = importlib.import_module(f"{sts.__name__}.version")
    assert version.RUNTIME_CONTRACT == "1.10"
    assert version._compatible(smithygen_runtime.CONTRACT_VERSION)
    assert version._compatible("1.10")
    assert not version._compatible("1.9")
