"""``waiters.py``: ``wait_until_<waiter>`` methods from ``smithy.waiters#waitable``.

Acceptors become runtime ``Acceptor`` values; polling, delays and matching are
the runtime's ``wait``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from smithy_python.model import Node, OperationShape, to_json

from smithygen.emit.context import Context
from smithygen.emit.docs import docstring
from smithygen.emit.names import constant_name, snake_case
from smithygen.emit.operations import model_imports, returns, self_params, signature
from smithygen.emit.traits import get_trait
from smithygen.errors import GenerationError


def _acceptor(op: OperationShape, waiter: str, acceptor: Mapping[str, Node]) -> str:
    state = acceptor.get("state")
    matcher = acceptor.get("matcher")
    if not isinstance(matcher, Mapping) or len(matcher) != 1:
        raise GenerationError(f"{op.id} waiter {waiter}: acceptor needs one matcher")
    kind, value = next(iter(matcher.items()))
    args = [f"state={state!r}", f"matcher={kind!r}"]
    if kind in ("output", "inputOutput") and isinstance(value, Mapping):
        args.append(f"path={value.get('path')!r}")
        args.append(f"expected={to_json(value.get('expected'))!r}")
        args.append(f"comparator={value.get('comparator')!r}")
    elif kind == "errorType" and isinstance(value, str):
        args.append(f"expected={value.rpartition('#')[2]!r}")
    elif kind == "success":
        args.append(f"expected={value!r}")
    else:
        raise GenerationError(f"{op.id} waiter {waiter}: unknown matcher {kind!r}")
    return f"Acceptor({', '.join(args)})"


_WAIT_PARAMS = (
    "max_wait: float, on_attempt: Callable[[WaiterProgress], None] | None = None"
)
_WAIT_ARGS = (
    "    max_wait: The longest time to wait, in seconds.\n"
    "    on_attempt: Called before each new attempt with a WaiterProgress (attempt\n"
    "        number, elapsed time, next delay), e.g. to log or report it."
)


def _optional(hint: str) -> str:
    # None when success is reached through an error acceptor (no output then).
    return hint if hint == "None" else f"{hint} | None"


def emit_waiters(ctx: Context, header: str) -> str | None:
    """The text of ``waiters.py``, or None when the selection has no waiter."""
    specs, methods = [], []
    for op, name, waiter in _waiters(ctx):
        spec = f"_{constant_name(name)}_WAITER"
        specs.append(_waiter_spec(op, spec, name, waiter))
        methods.append(_wait_method(ctx, op, spec, name, waiter))
    if not methods:
        return None
    constants = [ctx.operation_constant(op) for op in ctx.operations]
    return (
        f"{header}"
        f'"""Waiters of the {ctx.sdk_id} client, inherited by {ctx.client_class}."""\n\n'
        "from __future__ import annotations\n\n"
        "from collections.abc import Callable\n\n"
        "from smithygen_runtime import (\n    Acceptor,\n    BaseClient,\n    WaiterProgress,\n"
        "    WaiterSpec,\n    new_idempotency_token,\n    wait,\n)\n\n"
        "from ._service import (\n"
        + "".join(f"    {c},\n" for c in constants)
        + ")\n"
        + model_imports(ctx)
        + "\n\n"
        + "\n".join(specs)
        + f"\n\nclass {ctx.sdk}Waiters(BaseClient):\n"
        f'    """``wait_until_*`` methods, one per waiter of the model."""\n\n'
        + "\n".join(methods)
    )


def _waiters(ctx: Context) -> Iterator[tuple[OperationShape, str, Mapping[str, Node]]]:
    """(operation, waiter name, waiter) for each waiter that is not deprecated."""
    for op in ctx.operations:
        waitable = get_trait(op, "smithy.waiters#waitable")
        if not isinstance(waitable, Mapping):
            continue
        for name, waiter in waitable.items():
            if not isinstance(waiter, Mapping) or waiter.get("deprecated") is True:
                continue
            yield op, name, waiter


def _waiter_spec(
    op: OperationShape, spec: str, name: str, waiter: Mapping[str, Node]
) -> str:
    """The ``WaiterSpec`` constant: the acceptors and delays of one waiter."""
    acceptors = waiter.get("acceptors")
    if not isinstance(acceptors, tuple):
        raise GenerationError(f"{op.id} waiter {name}: no acceptors")
    rendered = ",\n".join(
        f"        {_acceptor(op, name, a)}" for a in acceptors if isinstance(a, Mapping)
    )
    return (
        f"{spec} = WaiterSpec(\n    name={name!r},\n    acceptors=(\n{rendered},\n    ),\n"
        f"    min_delay={waiter.get('minDelay', 2)!r},\n"
        f"    max_delay={waiter.get('maxDelay', 120)!r},\n)\n"
    )


def _wait_method(
    ctx: Context, op: OperationShape, spec: str, name: str, waiter: Mapping[str, Node]
) -> str:
    """The ``wait_until_<waiter>`` method: the op's arguments, then the wait's."""
    sig = signature(ctx, op)
    doc_text = waiter.get("documentation")
    doc = docstring(
        (doc_text if isinstance(doc_text, str) else f"Wait until {name}.")
        + f"<p>Polls <code>{ctx.method_names[op.id]}</code> until an acceptor of"
        " the waiter matches; raises WaiterError on a failure state and"
        " WaiterTimeoutError after <code>max_wait</code> seconds.</p>",
        "        ",
        extra=f"{sig.args_doc or 'Args:'}\n{_WAIT_ARGS}",
    )
    constant = ctx.operation_constant(op)
    return (
        f"    async def wait_until_{snake_case(name)}("
        f"{self_params(sig, _WAIT_PARAMS)}) -> {_optional(returns(sig))}:\n{doc}"
        f"        _request = {sig.input_expr}\n"
        f"        return await wait(\n"
        f"            {spec},\n"
        f"            lambda: self._invoke_for_waiter({constant}, _request),\n"
        f"            input_wire={constant}.serialize(_request),\n"
        f"            max_wait=max_wait,\n"
        f"            on_attempt=on_attempt,\n"
        f"            sleep=self._waiter_sleep,\n"
        f"        )\n"
    )
