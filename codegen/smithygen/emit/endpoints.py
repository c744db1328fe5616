"""Endpoint facts of the model: rule parameter bindings, client context, discovery.

Read from the semantic model by the service and client emitters, and by the
tests that bind the official models' endpoint test cases (including models
whose protocol the runtime does not speak), so a binding rule lives here once.

Traits: smithy.rules#staticContextParams, #contextParam,
#operationContextParams, #clientContextParams (rules-engine parameter traits);
aws.api#clientEndpointDiscovery, #clientDiscoveredEndpoint,
#clientEndpointDiscoveryId (aws_aws-core.rst).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from smithy_python.model import Model, OperationShape, ServiceShape, StructureShape

from smithygen.emit.traits import get_trait, has_trait


@dataclass(frozen=True)
class Bindings:
    """Where one operation's rule parameters come from (see EndpointBindings)."""

    static: dict[str, Any] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.static or self.members or self.paths)


def operation_bindings(model: Model, op: OperationShape) -> Bindings:
    """The operation's staticContextParams, contextParam members and
    operationContextParams paths, by rule-set parameter name."""
    static: dict[str, Any] = {}
    for name, spec in _mapping(get_trait(op, "smithy.rules#staticContextParams")):
        if isinstance(spec, Mapping) and "value" in spec:
            static[name] = _plain(spec["value"])
    paths: dict[str, str] = {}
    for name, spec in _mapping(get_trait(op, "smithy.rules#operationContextParams")):
        if isinstance(spec, Mapping) and isinstance(spec.get("path"), str):
            paths[name] = spec["path"]
    members: dict[str, str] = {}
    shape = model.get_shape(op.input)
    if isinstance(shape, StructureShape):
        for member_name, member in shape.members.items():
            param = get_trait(member, "smithy.rules#contextParam")
            param_name = param.get("name") if isinstance(param, Mapping) else None
            if isinstance(param_name, str):
                members[param_name] = member_name
    return Bindings(static=static, members=members, paths=paths)


@dataclass(frozen=True)
class ClientContextParam:
    name: str
    type: str  # "string" or "boolean"
    documentation: str


def client_context_params(service: ServiceShape) -> list[ClientContextParam]:
    """The service's clientContextParams, in model order."""
    params = []
    for name, spec in _mapping(get_trait(service, "smithy.rules#clientContextParams")):
        if isinstance(spec, Mapping):
            params.append(
                ClientContextParam(
                    name=name,
                    type=str(spec.get("type", "string")),
                    documentation=str(spec.get("documentation", "")),
                )
            )
    return params


@dataclass(frozen=True)
class Discovery:
    """aws.api#clientEndpointDiscovery of a service."""

    operation: str  # the discovery operation's shape id
    error: str | None  # the invalid-endpoint error's shape id


def service_discovery(service: ServiceShape) -> Discovery | None:
    trait = get_trait(service, "aws.api#clientEndpointDiscovery")
    if not isinstance(trait, Mapping):
        return None
    operation, error = trait.get("operation"), trait.get("error")
    if not isinstance(operation, str):
        return None
    return Discovery(
        operation=operation, error=error if isinstance(error, str) else None
    )


def operation_discovery(op: OperationShape) -> bool | None:
    """None when the operation does not use discovery, else whether it requires it."""
    trait = get_trait(op, "aws.api#clientDiscoveredEndpoint")
    if not isinstance(trait, Mapping):
        return None
    return bool(trait.get("required", False))


def discovery_identifiers(model: Model, op: OperationShape) -> list[str]:
    """The input members marked aws.api#clientEndpointDiscoveryId (top level, as
    the trait's selector allows)."""
    shape = model.get_shape(op.input)
    if not isinstance(shape, StructureShape):
        return []
    return [
        name
        for name, member in shape.members.items()
        if has_trait(member, "aws.api#clientEndpointDiscoveryId")
    ]


def _mapping(node: Any) -> list[tuple[str, Any]]:
    return list(node.items()) if isinstance(node, Mapping) else []


def _plain(value: Any) -> Any:
    """A trait node value as plain Python (lists and dicts, not mapping proxies)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
