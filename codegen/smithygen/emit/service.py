"""``_service.py``: the ServiceSpec and one OperationSpec per operation."""

from __future__ import annotations

from collections.abc import Mapping

from smithy_python.model import OperationShape, ShapeId, StructureShape, UnionShape

from smithygen.emit.context import Context
from smithygen.emit.customizations import ENDPOINT_FROM_INPUT
from smithygen.emit.docs import docstring
from smithygen.emit.endpoints import (
    client_context_params,
    discovery_identifiers,
    operation_bindings,
    operation_discovery,
    service_discovery,
)
from smithygen.emit.event_stream import error_members, initial_required, stream_spec
from smithygen.emit.http_bindings import (
    checksum_required,
    checksum_spec_expr,
    error_bindings_expr,
    http_binding_expr,
    uses_http_bindings,
)
from smithygen.emit.names import member_name
from smithygen.emit.traits import get_trait, has_trait


def _errors_dict(
    ctx: Context,
    error_ids: list[ShapeId],
    indent: str,
    extra: list[tuple[str, str]] | None = None,
) -> str:
    """A ``{wire code: class}`` literal; ``extra`` adds (code, class) pairs."""
    pairs = [
        (ctx.error_code(eid), ctx.class_of(eid))
        for eid in sorted(set(error_ids), key=lambda e: (e.name, e.namespace))
    ]
    pairs += sorted(extra or [])
    if not pairs:
        return "{}"
    entries = "".join(f'{indent}    "{code}": {cls},\n' for code, cls in pairs)
    return "{\n" + entries + indent + "}"


def _host_labels(ctx: Context, op: OperationShape) -> tuple[str, str | None]:
    """(function definition, function name) for the op's host label values."""
    endpoint = get_trait(op, "endpoint")
    if not isinstance(endpoint, Mapping) or ctx.is_unit(op.input):
        return "", None
    shape = ctx.model.expect_shape(op.input, StructureShape)
    labels = [m for m in ctx.members(shape) if has_trait(m.shape, "hostLabel")]
    if not labels:
        return "", None
    name = f"_{ctx.method_names[op.id].rstrip('_')}_host_labels"
    items = "".join(f'        "{m.shape.name}": str(value.{m.attr}),\n' for m in labels)
    cls = ctx.class_of(op.input)
    return (
        f"def {name}(value: {cls}) -> Mapping[str, str]:\n    return {{\n{items}    }}\n",
        name,
    )


def _endpoint_from_input(ctx: Context, op: OperationShape) -> tuple[str, str | None]:
    """(function definition, function name) reading the op's endpoint member, if any."""
    wire = ENDPOINT_FROM_INPUT.get(str(op.id))
    if wire is None or ctx.is_unit(op.input):
        return "", None
    shape = ctx.model.expect_shape(op.input, StructureShape)
    member = next((m for m in ctx.members(shape) if m.wire == wire), None)
    if member is None:
        return "", None
    name = f"_{ctx.method_names[op.id].rstrip('_')}_endpoint"
    cls = ctx.class_of(op.input)
    return (
        f"def {name}(value: {cls}) -> str | None:\n    return value.{member.attr}\n",
        name,
    )


def _bindings(ctx: Context, op: OperationShape) -> str:
    """``EndpointBindings(...)`` for the op's rule parameters, or "" when it has none."""
    bindings = operation_bindings(ctx.model, op)
    if not bindings:
        return ""
    parts = []
    for field in ("static", "members", "paths"):
        value = getattr(bindings, field)
        if value:
            parts.append(f"{field}={value!r}")
    return f"EndpointBindings({', '.join(parts)})"


def _discovery(ctx: Context, op: OperationShape) -> tuple[str, str]:
    """(function definitions, ``OperationDiscovery(...)``) or ("", "")."""
    required = operation_discovery(op)
    if required is None or service_discovery(ctx.service) is None:
        return "", ""
    names = discovery_identifiers(ctx.model, op)
    if not names or ctx.is_unit(op.input):
        return "", f"OperationDiscovery(required={required})"
    shape = ctx.model.expect_shape(op.input, StructureShape)
    attrs_by_wire = {m.shape.name: m.attr for m in ctx.members(shape)}
    name = f"_{ctx.method_names[op.id].rstrip('_')}_discovery_ids"
    items = "".join(f'        "{n}": value.{attrs_by_wire[n]},\n' for n in names)
    cls = ctx.class_of(op.input)
    definition = (
        f"def {name}(value: {cls}) -> Mapping[str, str]:\n"
        f"    ids = {{\n{items}    }}\n"
        "    return {k: v for k, v in ids.items() if v is not None}\n"
    )
    return definition, (f"OperationDiscovery(required={required}, identifiers={name})")


def _operation(ctx: Context, op: OperationShape) -> str:
    """The op's ``OperationSpec`` constant, after the functions it names."""
    unit_in, unit_out = ctx.is_unit(op.input), ctx.is_unit(op.output)
    in_type = "None" if unit_in else ctx.class_of(op.input)
    out_type = "None" if unit_out else ctx.class_of(op.output)
    ser = "_serde.ser_unit" if unit_in else f"_serde.ser_{ctx.serde_stems[op.input]}"
    de = "_serde.de_unit" if unit_out else f"_serde.de_{ctx.serde_stems[op.output]}"
    validate = "None" if unit_in else f"_validate.validate_{ctx.serde_stems[op.input]}"
    errors = [*op.errors, *ctx.service.errors]
    definitions, routing = _routing_fields(ctx, op)
    extra = routing + _body_fields(ctx, op)
    return definitions + (
        f"{ctx.operation_constant(op)}: OperationSpec[{in_type}, {out_type}] = OperationSpec(\n"
        f'    name="{op.id.name}",\n'
        f"    serialize={ser},\n"
        f"    deserialize={de},\n"
        f"    validate={validate},\n"
        f"    errors={_errors_dict(ctx, errors, '    ')},\n"
        f"{extra})\n"
    )


def _routing_fields(ctx: Context, op: OperationShape) -> tuple[str, str]:
    """(the functions they name, the fields that decide where and how a call goes)."""
    endpoint = get_trait(op, "endpoint")
    host_prefix = endpoint.get("hostPrefix") if isinstance(endpoint, Mapping) else None
    labels_def, labels_name = _host_labels(ctx, op)
    endpoint_def, endpoint_name = _endpoint_from_input(ctx, op)
    fields = ""
    if isinstance(host_prefix, str):
        fields += f"    host_prefix={host_prefix!r},\n"
    if labels_name:
        fields += f"    host_labels={labels_name},\n"
    fields += _compression_field(op)
    if endpoint_name:
        fields += f"    endpoint_from_input={endpoint_name},\n"
    if get_trait(op, "auth") == ():
        # smithy.api#auth([]): no scheme applies (an empty list, not absent).
        fields += "    unsigned=True,\n"
    bindings = _bindings(ctx, op)
    if bindings:
        fields += f"    endpoint_bindings={bindings},\n"
    discovery_def, discovery = _discovery(ctx, op)
    if discovery:
        fields += f"    discovery={discovery},\n"
    return labels_def + endpoint_def + discovery_def, fields


def _compression_field(op: OperationShape) -> str:
    """``request_compression=(...)`` from ``@requestCompression`` ("" without it)."""
    compression = get_trait(op, "requestCompression")
    if not isinstance(compression, Mapping):
        return ""
    encodings = compression.get("encodings")
    if not (isinstance(encodings, tuple) and encodings):
        return ""
    listed = "".join(f"{e!r}, " for e in encodings if isinstance(e, str))
    return f"    request_compression=({listed.rstrip(' ')}),\n"


def _body_fields(ctx: Context, op: OperationShape) -> str:
    """The fields about the bodies: other serializers, streams, bindings, checksums."""
    fields = ""
    unit_in = ctx.is_unit(op.input)
    if unit_in and "rpcv2Cbor" in ctx.protocols:
        # Only rpcv2Cbor sends no body for it (awsJson sends {}), and awsJson
        # packages keep needing contract 1.2 only (project.required_contract).
        fields += "    has_input=False,\n"
    elif not unit_in and ctx.other_document_formats:
        others = "".join(
            f'"{fmt}": _serde_{fmt}.ser_{ctx.serde_stems[op.input]}, '
            for fmt in ctx.other_document_formats
        )
        fields += f"    other_serializers={{{others.rstrip(', ')}}},\n"
    fields += _streams(ctx, op)
    if uses_http_bindings(ctx):
        fields += f"    http={http_binding_expr(ctx, op)},\n"
    if checksum_required(op):
        fields += "    checksum_required=True,\n"
    checksum = checksum_spec_expr(ctx, op)
    if checksum is not None:
        fields += f"    checksum={checksum},\n"
    return fields


def _streams(ctx: Context, op: OperationShape) -> str:
    """The OperationSpec fields of the op's streaming members ("" without any)."""
    fields = ""
    for field, shape_id in (("input_stream", op.input), ("output_stream", op.output)):
        member = ctx.stream_member(shape_id)
        if member is None:
            continue
        errors = (
            error_members(ctx, member.target)
            if isinstance(member.target, UnionShape)
            else []
        )
        required = initial_required(ctx, ctx.model.get_shape(shape_id))
        fields += f"    {field}={stream_spec(ctx, member, errors, required)},\n"
    if fields and has_trait(op, "aws.auth#unsignedPayload"):
        fields += "    unsigned_payload=True,\n"
    return fields


def client_context_class(ctx: Context) -> str | None:
    """The name of the service's ClientContext class, or None without clientContextParams."""
    return f"{ctx.sdk}ClientContext" if client_context_params(ctx.service) else None


def _client_context(ctx: Context) -> str:
    """The ``<Sdk>ClientContext`` class: one typed option per clientContextParam."""
    name = client_context_class(ctx)
    if name is None:
        return ""
    params = client_context_params(ctx.service)
    fields, mapping = [], []
    for param in params:
        attr = member_name(param.name)
        hint = "bool" if param.type.lower() == "boolean" else "str"
        doc = docstring(param.documentation, "    ") if param.documentation else ""
        fields.append(f"    {attr}: {hint} | None = None\n{doc}")
        mapping.append(f'        "{attr}": "{param.name}",\n')
    about = docstring(
        f"<p>{ctx.sdk_id} endpoint options (the model's clientContextParams); "
        f"pass one as <code>{ctx.client_class}(client_context=...)</code>. "
        "Unset options leave the rule set's defaults.</p>",
        "    ",
    )
    return (
        "\n\n@attrs.frozen(kw_only=True)\n"
        f"class {name}(ClientContext):\n{about}\n"
        f"    _PARAMETERS: ClassVar[Mapping[str, str]] = {{\n{''.join(mapping)}    }}\n\n"
        + "".join(fields)
    )


def _service_discovery(ctx: Context) -> tuple[str, str | None]:
    """(input factory definition, ``ServiceDiscovery(...)``) or ("", None)."""
    discovery = service_discovery(ctx.service)
    if discovery is None:
        return "", None
    op = next((o for o in ctx.operations if str(o.id) == discovery.operation), None)
    if op is None:
        return "", None
    keyed = False
    if ctx.is_unit(op.input):
        make, returns = "None", "None"
    else:
        shape = ctx.model.expect_shape(op.input, StructureShape)
        by_wire = {m.shape.name: m.attr for m in ctx.members(shape)}
        keyed = "Operation" in by_wire and "Identifiers" in by_wire
        args = (
            f"{by_wire['Operation']}=operation, "
            f"{by_wire['Identifiers']}=dict(identifiers)"
            if keyed
            else ""
        )
        returns = ctx.class_of(op.input)
        make = f"{returns}({args})"
    definition = (
        "def _discovery_input(operation: str, identifiers: Mapping[str, str]) "
        f"-> {returns}:\n"
        '    """The endpoint discovery operation\'s input for one call."""\n'
        f"    return {make}\n"
    )
    error = discovery.error.rpartition("#")[2] if discovery.error else None
    spec = (
        f"ServiceDiscovery(operation={ctx.operation_constant(op)}, "
        f"make_input=_discovery_input, keyed_by_operation={keyed}, "
        f"invalid_endpoint_error={error!r})"
    )
    return definition, spec


# The imports every _service.py starts with.
_RUNTIME_IMPORTS = (
    "from __future__ import annotations\n\n"
    "import json\n"
    "from collections.abc import Mapping\n"
    "from functools import cache\n"
    "from pathlib import Path\n"
    "from typing import Any\n\n"
    "from typing import ClassVar\n\n"
    "import attrs\n\n"
    "from smithygen_runtime import (\n"
    "    ChecksumSpec,\n"
    "    ClientContext,\n    EndpointBindings,\n    EventReader,\n"
    "    HttpBinding,\n    HttpMember,\n"
    "    OperationDiscovery,\n    OperationSpec,\n    ServiceDiscovery,\n"
    "    ServiceSpec,\n    StreamSpec,\n)\n\n"
)


def emit_service(ctx: Context, header: str, *, has_rules: bool) -> str:
    """The text of ``_service.py``."""
    discovery_def, fields = _service_fields(ctx, has_rules)
    operations = "\n\n".join(_operation(ctx, op) for op in ctx.operations)
    return (
        f"{header}"
        f'"""How the {ctx.sdk_id} client talks to the service: service and operation specs."""\n\n'
        f"{_RUNTIME_IMPORTS}"
        f"{_package_imports(ctx)}{_ruleset_loader(has_rules)}{_client_context(ctx)}\n\n"
        f"{operations}\n\n"
        f"{discovery_def}\n\n"
        "SERVICE = ServiceSpec(\n" + "\n".join(fields) + "\n)\n"
    )


def _package_imports(ctx: Context) -> str:
    """The imports of the package's own modules: serde, validation, errors, models."""
    error_names = sorted(
        {ctx.class_of(e.id) for e in ctx.errors} | {c.name for c in ctx.common_errors}
    )
    modules = ["_serde", *(f"_serde_{f}" for f in ctx.other_document_formats)]
    imports = (
        f"from . import {', '.join(modules)}, _validate\n"
        "from .errors import (\n"
        + "".join(
            f"    {n},\n" for n in [ctx.base_error, ctx.unknown_error, *error_names]
        )
        + ")\n"
        "from . import models\n"
    )
    if ctx.uses_wire_schema:
        imports += "from . import _wire_schema\n"
    return imports


def _ruleset_loader(has_rules: bool) -> str:
    """``_endpoint_ruleset()``, reading endpoint_rules.json ("" without rules)."""
    if not has_rules:
        return ""
    return (
        "\n\n@cache\ndef _endpoint_ruleset() -> Mapping[str, Any]:\n"
        '    """The endpoint rule set, read from endpoint_rules.json on first use."""\n'
        '    path = Path(__file__).with_name("endpoint_rules.json")\n'
        "    ruleset: Mapping[str, Any] = json.loads(path.read_bytes())\n"
        "    return ruleset\n"
    )


def _service_fields(ctx: Context, has_rules: bool) -> tuple[str, list[str]]:
    """(the discovery input factory, the ``ServiceSpec(...)`` argument lines)."""
    # Common AWS errors after the modeled ones: a code is looked up in the
    # operation's errors first, then here (a modeled error wins).
    common = [(code, c.name) for c in ctx.common_errors for code in c.codes]
    service_errors = [e.id for e in ctx.errors]
    fields = [
        f'    sdk_id="{ctx.sdk_id}",',
        f'    target_prefix="{ctx.service.id.name}",',
        f'    signing_name="{ctx.signing_name}",',
        f'    protocol="{ctx.protocol}",',
        f'    api_version="{ctx.service.version or ""}",',
        f"    endpoint_prefix={ctx.endpoint_prefix!r},",
        f"    endpoint_ruleset={'_endpoint_ruleset' if has_rules else 'None'},",
        f"    base_error={ctx.base_error},",
        f"    unknown_error={ctx.unknown_error},",
        f"    errors={_errors_dict(ctx, service_errors, '    ', common)},",
    ]
    context_class = client_context_class(ctx)
    if context_class:
        fields.append(f"    client_context={context_class},")
    discovery_def, discovery = _service_discovery(ctx)
    if discovery:
        fields.append(f"    discovery={discovery},")
    if ctx.uses_wire_schema:
        fields.append("    wire_schema=_wire_schema.WIRE_SCHEMA,")
    if has_trait(ctx.service, "aws.protocols#awsQueryCompatible"):
        fields.append("    query_compatible=True,")
    if len(ctx.protocols) > 1:
        listed = "".join(f'"{p}", ' for p in ctx.protocols)
        fields.append(f"    protocols=({listed.rstrip(' ')}),")
    error_bindings = error_bindings_expr(ctx) if uses_http_bindings(ctx) else None
    if error_bindings:
        fields.append(f"    error_bindings={error_bindings},")
    return discovery_def, fields
