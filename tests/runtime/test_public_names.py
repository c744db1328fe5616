"""Exported names show the package users import them from, not a private module."""

from __future__ import annotations

import traceback
from types import FunctionType

import smithygen_runtime


def test_every_exported_class_and_function_names_the_public_package() -> None:
    private = [
        f"{name}: {value.__module__}"
        for name in smithygen_runtime.__all__
        if isinstance(value := getattr(smithygen_runtime, name), type | FunctionType)
        and value.__module__ != "smithygen_runtime"
    ]
    assert private == []


def test_a_traceback_and_a_repr_show_smithygen_runtime_dot_the_name() -> None:
    error = smithygen_runtime.ResponseParseError(
        "bad", status_code=200, request_id="req-1", path="A[0].B"
    )
    try:
        raise error
    except smithygen_runtime.ResponseParseError as caught:
        last = traceback.format_exception(caught)[-1]
    assert (
        last
        == "smithygen_runtime.ResponseParseError: bad (HTTP 200, request id req-1)\n"
    )
    assert repr(smithygen_runtime.ResponseParseError) == (
        "<class 'smithygen_runtime.ResponseParseError'>"
    )


def test_the_generated_package_exports_names_from_public_modules_only() -> None:
    import ssm_inventory

    private = [
        f"{name}: {value.__module__}"
        for name in ssm_inventory.__all__
        if isinstance(value := getattr(ssm_inventory, name), type)
        and any(part.startswith("_") for part in value.__module__.split("."))
    ]
    assert private == []
    assert repr(ssm_inventory.SSMClient) == "<class 'ssm_inventory.client.SSMClient'>"
