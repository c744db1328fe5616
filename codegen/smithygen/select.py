"""Which shapes a generated package contains: a service's closure, or a slice of it.

The closure follows semantic relationships only (operation input, output and
errors, member targets, resources), never trait values, exactly as Smithy's
own selectors do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from smithy_python.exceptions import SmithyPythonError
from smithy_python.model import (
    Model,
    OperationShape,
    ResourceShape,
    ServiceShape,
    Shape,
    ShapeId,
    UnionShape,
)
from smithy_python.selection import resolve_service

from smithygen.errors import GenerationError


@dataclass(frozen=True, slots=True)
class Selection:
    """The service, its selected operations (sorted by name) and their shapes."""

    service: ServiceShape
    operations: tuple[OperationShape, ...]
    shapes: tuple[Shape, ...]
    """Every non-prelude data shape reached, sorted by name."""
    skipped: tuple[tuple[str, str], ...]
    """(operation name, reason) of operations left out as unsupported."""
    input_shapes: frozenset[ShapeId]
    """Shapes reachable from operation inputs (serialized and validated)."""
    output_shapes: frozenset[ShapeId]
    """Shapes reachable from operation outputs and errors (deserialized)."""


def service_operations(model: Model, service: ServiceShape) -> list[OperationShape]:
    """Every operation bound to the service, directly or through resources."""
    found: dict[ShapeId, OperationShape] = {}
    pending: list[ShapeId] = [*service.operations, *service.resources]
    while pending:
        shape = model.get_shape(pending.pop())
        if isinstance(shape, OperationShape):
            found.setdefault(shape.id, shape)
        elif isinstance(shape, ResourceShape):
            lifecycle = [shape.create, shape.put, shape.read, shape.update]
            lifecycle += [shape.delete, shape.list]
            pending.extend(op for op in lifecycle if op is not None)
            pending.extend(shape.operations)
            pending.extend(shape.collection_operations)
            pending.extend(shape.resources)
    return sorted(found.values(), key=lambda op: op.id.name)


def closure(model: Model, roots: Iterable[ShapeId]) -> set[ShapeId]:
    """Every shape reachable from ``roots`` through member targets."""
    seen: set[ShapeId] = set()
    pending = list(roots)
    while pending:
        shape_id = pending.pop()
        if shape_id in seen:
            continue
        seen.add(shape_id)
        pending.extend(m.target for m in model.get_shape(shape_id).members.values())
    return seen


def _roots(
    operations: Sequence[OperationShape], service: ServiceShape, *, inputs: bool
) -> Iterator[ShapeId]:
    for op in operations:
        if inputs:
            yield op.input
        else:
            yield op.output
            yield from op.errors
    if not inputs:
        yield from service.errors


_STREAMING = ShapeId("smithy.api", "streaming")

# The @streaming members each protocol's client carries: "events" (an event
# stream union) and "blob" (a streaming blob payload). awsJson has event
# streams (initial-request / initial-response events, aws_amazon-eventstream.rst)
# but no HTTP payload binding to carry a blob in; restJson1 binds both to
# the HTTP payload.
STREAMING_BY_PROTOCOL: dict[ShapeId, frozenset[str]] = {
    ShapeId("aws.protocols", "awsJson1_0"): frozenset({"events"}),
    ShapeId("aws.protocols", "awsJson1_1"): frozenset({"events"}),
    ShapeId("aws.protocols", "restJson1"): frozenset({"events", "blob"}),
    # restXml: streaming blobs (S3's PutObject and GetObject); not yet the
    # event stream of S3's SelectObjectContent.
    ShapeId("aws.protocols", "restXml"): frozenset({"blob"}),
    # Not yet: event payloads here are JSON, and rpcv2Cbor's are CBOR.
    ShapeId("smithy.protocols", "rpcv2Cbor"): frozenset(),
}


def streaming_support(service: ServiceShape) -> frozenset[str]:
    """The kinds of @streaming member every protocol of the service carries.

    A client may be told to use any protocol its service offers, so an
    operation is generated only when all of them can carry its stream.
    """
    offered = [
        kinds
        for trait, kinds in STREAMING_BY_PROTOCOL.items()
        if trait in service.traits
    ]
    return frozenset.intersection(*offered) if offered else frozenset()


def unsupported_reason(
    model: Model, op: OperationShape, supported: frozenset[str] = frozenset()
) -> str | None:
    """Why the operation cannot be generated, or None.

    A ``@streaming`` member whose kind (event stream or blob) the protocol's
    client does not carry is left out rather than generated wrong.
    """
    for io in (op.input, op.output):
        for member in model.get_shape(io).members.values():
            target = model.get_target(member)
            if _STREAMING not in target.traits:
                continue
            kind = "events" if isinstance(target, UnionShape) else "blob"
            if kind not in supported:
                what = "an event stream" if kind == "events" else "a streaming blob"
                return f"member {member.name} of {io.name} is {what} (@streaming)"
    return None


def select(
    model: Model,
    service_id: str,
    operation_names: Sequence[str] | None = None,
    *,
    keep_streaming: bool = False,
) -> Selection:
    """Select the service and the closure of all (or the named) operations.

    ``keep_streaming`` keeps the operations a client cannot call yet (streaming
    members), for packages of model classes only.
    """
    service = _service_shape(model, service_id)
    operations = service_operations(model, service)
    if operation_names is not None:
        operations = _named_operations(operations, operation_names, service)
    skipped = (
        ()
        if keep_streaming
        else _unsupported(model, operations, streaming_support(service))
    )
    if skipped and operation_names is not None:
        name, reason = skipped[0]
        raise GenerationError(f"--operations: {name} cannot be generated: {reason}")
    skipped_names = {name for name, _ in skipped}
    operations = [op for op in operations if op.id.name not in skipped_names]
    inputs = closure(model, _roots(operations, service, inputs=True))
    outputs = closure(model, _roots(operations, service, inputs=False))
    return Selection(
        service=service,
        operations=tuple(operations),
        shapes=_shapes_in_name_order(model, inputs | outputs),
        skipped=skipped,
        input_shapes=frozenset(inputs),
        output_shapes=frozenset(outputs),
    )


def _service_shape(model: Model, service_id: str) -> ServiceShape:
    """The service named ``service_id`` (the only one when it is empty)."""
    try:
        service = resolve_service(model, service_id=service_id, require_service=True)
    except SmithyPythonError as error:
        raise GenerationError(str(error)) from None
    assert service is not None  # require_service=True guarantees it
    return service


def _named_operations(
    operations: Sequence[OperationShape],
    operation_names: Sequence[str],
    service: ServiceShape,
) -> list[OperationShape]:
    """The operations ``--operations`` names, in name order; unknown ones refused."""
    # Names may be given bare ("DeleteInventory") or as absolute shape IDs.
    by_name = {op.id.name: op for op in operations}
    by_name |= {str(op.id): op for op in operations}
    unknown = [name for name in operation_names if name not in by_name]
    if unknown:
        raise GenerationError(
            f"--operations: {', '.join(unknown)} not operation(s) of "
            f"{service.id}; known: {', '.join(op.id.name for op in operations)}"
        )
    return sorted(
        {by_name[name].id: by_name[name] for name in operation_names}.values(),
        key=lambda op: op.id.name,
    )


def _unsupported(
    model: Model, operations: Sequence[OperationShape], supported: frozenset[str]
) -> tuple[tuple[str, str], ...]:
    """(operation name, why) for each operation whose streams the client cannot carry."""
    return tuple(
        (op.id.name, reason)
        for op in operations
        if (reason := unsupported_reason(model, op, supported)) is not None
    )


def _shapes_in_name_order(model: Model, reached: set[ShapeId]) -> tuple[Shape, ...]:
    """The reached shapes other than operations, sorted by name.

    So reordering a model file never reorders the output.
    """
    return tuple(
        sorted(
            (
                shape
                for shape in model.iter_shapes()
                if shape.id in reached and not isinstance(shape, OperationShape)
            ),
            key=lambda shape: (shape.id.name, shape.id.namespace),
        )
    )
