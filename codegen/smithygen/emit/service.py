"""``_service.py``: the ServiceSpec and one OperationSpec per operation."""

from __future__ import annotations

from collections.abc import Mapping

from smithy_python.model import OperationShape, ShapeId, StructureShape

from smithygen.emit.context import Context
from smithygen.emit.customizations import ENDPOINT_FROM_INPUT
from smithygen.emit.traits import get_trait, has_trait


def _errors_dict(
    ctx: Context,
    error_ids: list[ShapeId],
    indent: str,
    extra: list[tuple[str, str]] | None = None,
) -> str:
    """A ``{wire code: class}`` literal; ``extra`` adds (code, class) pairs."""
    pairs = [
        (eid.name, ctx.class_of(eid))
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
    items = "".join(f'        "{m.wire}": str(value.{m.attr}),\n' for m in labels)
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


def _operation(ctx: Context, op: OperationShape) -> str:
    unit_in, unit_out = ctx.is_unit(op.input), ctx.is_unit(op.output)
    in_type = "None" if unit_in else ctx.class_of(op.input)
    out_type = "None" if unit_out else ctx.class_of(op.output)
    ser = "_serde.ser_unit" if unit_in else f"_serde.ser_{ctx.serde_stems[op.input]}"
    de = "_serde.de_unit" if unit_out else f"_serde.de_{ctx.serde_stems[op.output]}"
    validate = "None" if unit_in else f"_validate.validate_{ctx.serde_stems[op.input]}"
    errors = [*op.errors, *ctx.service.errors]
    endpoint = get_trait(op, "endpoint")
    host_prefix = endpoint.get("hostPrefix") if isinstance(endpoint, Mapping) else None
    labels_def, labels_name = _host_labels(ctx, op)
    endpoint_def, endpoint_name = _endpoint_from_input(ctx, op)
    extra = ""
    if isinstance(host_prefix, str):
        extra += f"    host_prefix={host_prefix!r},\n"
    if labels_name:
        extra += f"    host_labels={labels_name},\n"
    compression = get_trait(op, "requestCompression")
    if isinstance(compression, Mapping):
        encodings = compression.get("encodings")
        if isinstance(encodings, tuple) and encodings:
            listed = "".join(f"{e!r}, " for e in encodings if isinstance(e, str))
            extra += f"    request_compression=({listed.rstrip(' ')}),\n"
    if endpoint_name:
        extra += f"    endpoint_from_input={endpoint_name},\n"
    return (
        labels_def
        + endpoint_def
        + (
            f"{ctx.operation_constant(op)}: OperationSpec[{in_type}, {out_type}] = OperationSpec(\n"
            f'    name="{op.id.name}",\n'
            f"    serialize={ser},\n"
            f"    deserialize={de},\n"
            f"    validate={validate},\n"
            f"    errors={_errors_dict(ctx, errors, '    ')},\n"
            f"{extra})\n"
        )
    )


def emit_service(ctx: Context, header: str, *, has_rules: bool) -> str:
    """The text of ``_service.py``."""
    error_names = sorted(
        {ctx.class_of(e.id) for e in ctx.errors} | {c.name for c in ctx.common_errors}
    )
    # Common AWS errors after the modeled ones: a code is looked up in the
    # operation's errors first, then here (a modeled error wins).
    common = [(code, c.name) for c in ctx.common_errors for code in c.codes]
    imports = (
        "from . import _serde, _validate\n"
        "from .errors import (\n"
        + "".join(
            f"    {n},\n" for n in [ctx.base_error, ctx.unknown_error, *error_names]
        )
        + ")\n"
    )
    imports += "from . import models\n"
    service_errors = [e.id for e in ctx.errors]
    rules = (
        "\n\n@cache\ndef _endpoint_ruleset() -> Mapping[str, Any]:\n"
        '    """The endpoint rule set, read from endpoint_rules.json on first use."""\n'
        '    path = Path(__file__).with_name("endpoint_rules.json")\n'
        "    ruleset: Mapping[str, Any] = json.loads(path.read_bytes())\n"
        "    return ruleset\n"
        if has_rules
        else ""
    )
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
    operations = "\n\n".join(_operation(ctx, op) for op in ctx.operations)
    return (
        f"{header}"
        f'"""How the {ctx.sdk_id} client talks to the service: service and operation specs."""\n\n'
        "from __future__ import annotations\n\n"
        "import json\n"
        "from collections.abc import Mapping\n"
        "from functools import cache\n"
        "from pathlib import Path\n"
        "from typing import Any\n\n"
        "from smithygen_runtime import OperationSpec, ServiceSpec\n\n"
        f"{imports}{rules}\n\n"
        "SERVICE = ServiceSpec(\n" + "\n".join(fields) + "\n)\n\n\n"
        f"{operations}"
    )
