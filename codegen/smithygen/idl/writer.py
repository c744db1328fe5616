"""Smithy JSON AST -> Smithy IDL 2.0 text, one document per namespace.

The output is meant to be read by people and loaded back by any conforming
IDL loader into the same JSON AST (``idl.rst`` and ``json-ast.rst`` of the
Smithy 2.0 specification). Sugar is used wherever it is exact:

* ``smithy.api#documentation`` becomes ``///`` doc comments when every line
  can be written as one (no control characters);
* ``smithy.api#enumValue`` becomes ``NAME = "value"`` (omitted when the IDL
  loader would synthesise the same value), ``smithy.api#default`` on structure
  members becomes ``member: Target = value``;
* annotation traits (``{}``) of known structure traits are written bare
  (``@required``), structure values use the ``@trait(key: value)`` form;
* an operation's input/output structure that nothing else uses is written
  inline (``input := {...}``), with ``$operationInputSuffix`` /
  ``$operationOutputSuffix`` control statements when the model consistently
  uses other suffixes than ``Input``/``Output``;
* shapes of other namespaces are imported with ``use`` when their name is
  unambiguous in the document; multi-line strings become text blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from smithygen.idl._idl_text import (
    IDENTIFIER,
    INDENT,
    NOT_IN_LINE,
    WIDTH,
    IdlWriteError,
    node_key,
    node_text,
    quoted,
)
from smithygen.idl._prelude import PRELUDE_NAMESPACE, PRELUDE_SHAPE_TYPES
from smithygen.idl._syntax import SIMPLE_TYPES

__all__ = ["IdlWriteError", "write_idl"]

_PRELUDE = PRELUDE_NAMESPACE
_DOC = "smithy.api#documentation"
_DEFAULT = "smithy.api#default"
_ENUM_VALUE = "smithy.api#enumValue"
_INPUT = "smithy.api#input"
_OUTPUT = "smithy.api#output"
_MIXIN = "smithy.api#mixin"
_UNIT = "smithy.api#Unit"

# A relative name in the IDL falls back to the prelude (idl.rst, "Relative
# shape ID resolution" step 3), so the writer must know the prelude's names to
# decide when a name needs to be absolute: the loader's table is the one truth.
_PRELUDE_NAMES = frozenset(PRELUDE_SHAPE_TYPES)


def _ids(namespace: str, names: str) -> list[str]:
    return [f"{namespace}#{name}" for name in names.split()]


# Traits whose shape is a structure or a map: an omitted value means ``{}``
# for them ("Omitted trait values" in idl.rst), so ``{}`` can be written bare.
# For any other trait a bare ``@t`` would mean null, so ``@t({})`` is kept.
_OBJECT_TRAITS = frozenset(
    [
        f"{PRELUDE_NAMESPACE}#{name}"
        for name, kind in PRELUDE_SHAPE_TYPES.items()
        if kind in ("structure", "map")
    ]
    + _ids(
        "aws.api",
        """
        arn arnReference awsChunked clientDiscoveredEndpoint
        clientEndpointDiscovery clientEndpointDiscoveryId controlPlane dataPlane
        service tagEnabled taggable
        """,
    )
    + _ids("aws.auth", "cognitoUserPools sigv4 sigv4a unsignedPayload")
    + _ids(
        "aws.protocols",
        """
        awsJson1_0 awsJson1_1 awsQuery awsQueryError awsQueryCompatible ec2Query
        httpChecksum restJson1 restXml
        """,
    )
    + _ids("smithy.protocols", "rpcv2Cbor rpcv2Json")
    + _ids(
        "smithy.rules",
        """
        endpointBdd endpointTests contextParam staticContextParams
        operationContextParams clientContextParams
        """,
    )
    + _ids("smithy.waiters", "waitable")
)

_SIMPLE_TYPES = frozenset(SIMPLE_TYPES)
_MEMBER_TYPES = frozenset(["structure", "union", "enum", "intEnum"])
_NAMESPACE = re.compile(
    r"(?:_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*(?:\.(?:_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*)*\Z"
)
_RESOURCE_REFS = ("create", "put", "read", "update", "delete", "list")
_RESOURCE_LISTS = ("operations", "collectionOperations", "resources")


def write_idl(ast: Mapping[str, Any]) -> dict[str, str]:
    """Write a Smithy JSON AST as IDL 2.0 documents, keyed by namespace.

    Namespaces come in the order of their first shape in ``ast["shapes"]``;
    the model's metadata goes into the first document (metadata is global,
    and arrays would be concatenated if it were repeated in every file).
    A model with metadata and no shapes gives one document keyed ``""``.
    """
    if not isinstance(ast, Mapping):
        raise IdlWriteError("a JSON AST must be an object")
    shapes = ast.get("shapes", {})
    metadata = ast.get("metadata", {})
    if not isinstance(shapes, Mapping) or not isinstance(metadata, Mapping):
        raise IdlWriteError('"shapes" and "metadata" must be objects')
    namespaces: dict[str, list[str]] = {}
    for shape_id, shape in shapes.items():
        namespace, _ = _split(shape_id)
        if not isinstance(shape, Mapping) or not isinstance(shape.get("type"), str):
            raise IdlWriteError(f"{shape_id}: a shape must be an object with a type")
        namespaces.setdefault(namespace, []).append(shape_id)
    if not namespaces and metadata:
        namespaces[""] = []
    model = _Model(shapes)
    documents: dict[str, str] = {}
    for index, (namespace, shape_ids) in enumerate(namespaces.items()):
        writer = _DocumentWriter(model, namespace, shape_ids)
        documents[namespace] = writer.write(metadata if index == 0 else {})
    return documents


def _split(shape_id: object) -> tuple[str, str]:
    """``ns#Name$member`` -> (``ns``, ``Name$member``), checking the syntax."""
    if not isinstance(shape_id, str):
        raise IdlWriteError(f"expected a shape id string but found {shape_id!r}")
    namespace, sep, name = shape_id.partition("#")
    root, _, member = name.partition("$")
    if (
        not sep
        or not _NAMESPACE.match(namespace)
        or not IDENTIFIER.match(root)
        or ("$" in name and not IDENTIFIER.match(member))
    ):
        raise IdlWriteError(f"{shape_id!r} is not an absolute shape id")
    return namespace, name


def _target(ref: object, where: str) -> str:
    if not isinstance(ref, Mapping) or not isinstance(ref.get("target"), str):
        raise IdlWriteError(
            f"{where}: expected {{'target': shape id}} but found {ref!r}"
        )
    target: str = ref["target"]
    _split(target)
    return target


def _references(shape: Mapping[str, Any], shape_id: str) -> Iterable[str]:
    """Every shape id a shape refers to through its structure (not trait values)."""
    for key in ("member", "key", "value", "input", "output", *_RESOURCE_REFS):
        if key in shape:
            yield _target(shape[key], f"{shape_id} {key}")
    members = shape.get("members", {})
    if not isinstance(members, Mapping):
        raise IdlWriteError(f"{shape_id}: members must be an object")
    for name, member in members.items():
        yield _target(member, f"{shape_id}${name}")
    for key in ("mixins", "errors", *_RESOURCE_LISTS):
        refs = shape.get(key, [])
        if not isinstance(refs, list):
            raise IdlWriteError(f"{shape_id}: {key} must be a list")
        for ref in refs:
            yield _target(ref, f"{shape_id} {key}")
    for key in ("identifiers", "properties"):
        refs = shape.get(key, {})
        if not isinstance(refs, Mapping):
            raise IdlWriteError(f"{shape_id}: {key} must be an object")
        for name, ref in refs.items():
            yield _target(ref, f"{shape_id} {key} {name}")


class _Model:
    """Facts about the whole AST that every document needs."""

    def __init__(self, shapes: Mapping[str, Any]) -> None:
        self.shapes = shapes
        self.defined = {
            shape_id
            for shape_id, shape in shapes.items()
            if shape.get("type") != "apply"
        }
        self.use_count: Counter[str] = Counter()
        for shape_id, shape in shapes.items():
            self.use_count.update(_references(shape, shape_id))

    def inline_candidate(self, op_id: str, key: str) -> tuple[str, str] | None:
        """(structure id, suffix) when ``op_id``'s input/output may be inlined."""
        operation = self.shapes[op_id]
        if key not in operation:
            return None
        struct_id = _target(operation[key], op_id)
        struct = self.shapes.get(struct_id)
        op_ns, op_name = _split(op_id)
        ns, name = _split(struct_id)
        traits = struct.get("traits", {}) if isinstance(struct, Mapping) else {}
        if (
            not isinstance(struct, Mapping)
            or struct.get("type") != "structure"
            or ns != op_ns
            or not name.startswith(op_name)
            or len(name) == len(op_name)
            or traits.get(_INPUT if key == "input" else _OUTPUT) != {}
            or _MIXIN in traits
            or self.use_count[struct_id] != 1
        ):
            return None
        return struct_id, name[len(op_name) :]


@dataclass
class _DocumentWriter:
    model: _Model
    namespace: str
    shape_ids: list[str]
    imports: dict[str, str] = field(default_factory=dict)  # name -> absolute id
    inlined: dict[str, str] = field(default_factory=dict)  # structure id -> key
    suffixes: dict[str, str] = field(
        default_factory=lambda: {"input": "Input", "output": "Output"}
    )
    lines: list[str] = field(default_factory=list)

    # -- planning -----------------------------------------------------------

    def _plan_inline(self) -> None:
        candidates: dict[str, dict[str, tuple[str, str]]] = {"input": {}, "output": {}}
        for shape_id in self.shape_ids:
            if self.model.shapes[shape_id]["type"] == "operation":
                for key, found in candidates.items():
                    candidate = self.model.inline_candidate(shape_id, key)
                    if candidate is not None:
                        found[shape_id] = candidate
        for key, found in candidates.items():
            counts = Counter(suffix for _, suffix in found.values())
            if counts:
                default = self.suffixes[key]
                # The most common suffix wins; the default one on a tie.
                best = max(counts, key=lambda s: (counts[s], s == default))
                self.suffixes[key] = best
            for struct_id, suffix in found.values():
                if suffix == self.suffixes[key]:
                    self.inlined[struct_id] = key

    def _plan_imports(self) -> None:
        referenced: set[str] = set()
        for shape_id in self.shape_ids:
            shape = self.model.shapes[shape_id]
            referenced.update(_references(shape, shape_id))
            referenced.update(self._trait_ids(shape))
            for member in _members(shape).values():
                referenced.update(self._trait_ids(member))
            if shape["type"] == "apply":
                referenced.add(shape_id)
        by_name: dict[str, set[str]] = {}
        for shape_id in referenced:
            by_name.setdefault(_split(shape_id)[1].partition("$")[0], set()).add(
                shape_id.partition("$")[0]
            )
        for name, ids in sorted(by_name.items()):
            only = next(iter(ids))
            if (
                len(ids) == 1
                and _split(only)[0] not in (self.namespace, _PRELUDE)
                and name not in _PRELUDE_NAMES
                and f"{self.namespace}#{name}" not in self.model.defined
            ):
                self.imports[name] = only

    @staticmethod
    def _trait_ids(shape: Mapping[str, Any]) -> Iterable[str]:
        traits = shape.get("traits", {})
        if not isinstance(traits, Mapping):
            raise IdlWriteError(f"traits must be an object, found {traits!r}")
        for trait_id in traits:
            _split(trait_id)
            yield trait_id

    def ref(self, shape_id: str) -> str:
        """The shortest text that resolves to ``shape_id`` in this document."""
        namespace, name = _split(shape_id)
        root, dollar, member = name.partition("$")
        local = f"{self.namespace}#{root}" in self.model.defined
        if namespace == self.namespace:
            short = root not in self.imports and (local or root not in _PRELUDE_NAMES)
        elif namespace == _PRELUDE:
            short = root in _PRELUDE_NAMES and root not in self.imports and not local
        else:
            short = self.imports.get(root) == f"{namespace}#{root}"
        return (root if short else f"{namespace}#{root}") + dollar + member

    # -- writing ------------------------------------------------------------

    def write(self, metadata: Mapping[str, Any]) -> str:
        self._plan_inline()
        self._plan_imports()
        out = self.lines
        out.append('$version: "2"')
        for key, default in (("input", "Input"), ("output", "Output")):
            if self.suffixes[key] != default:
                control = f"$operation{key.capitalize()}Suffix"
                out.append(f"{control}: {quoted(self.suffixes[key])}")
        out.append("")
        if metadata:
            for key, value in metadata.items():
                out.append(f"metadata {node_key(key)} = {node_text(value, 0)}")
            out.append("")
        if self.namespace:
            out.append(f"namespace {self.namespace}")
            out.append("")
        if self.imports:
            out.extend(f"use {shape_id}" for shape_id in sorted(self.imports.values()))
            out.append("")
        for shape_id in self.shape_ids:
            if shape_id in self.inlined:
                continue
            self._shape(shape_id, self.model.shapes[shape_id])
            out.append("")
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n"

    def _emit(self, indent: int, text: str) -> None:
        self.lines.append(INDENT * indent + text if text else "")

    def _docs_and_traits(
        self, indent: int, traits: Mapping[str, Any], skip: Iterable[str] = ()
    ) -> None:
        skipped = set(skip)
        docs = traits.get(_DOC)
        if (
            isinstance(docs, str)
            and docs
            and not NOT_IN_LINE.search(docs.replace("\n", " "))
        ):
            skipped.add(_DOC)
            for line in docs.split("\n"):
                self._emit(indent, f"/// {line}" if line else "///")
        for trait_id, value in traits.items():
            if trait_id not in skipped:
                self._emit(indent, self._trait(trait_id, value, indent))

    def _trait(self, trait_id: str, value: Any, indent: int) -> str:
        name = "@" + self.ref(trait_id)
        if value == {} and (
            trait_id in _OBJECT_TRAITS or self._is_object_trait(trait_id)
        ):
            return name
        if isinstance(value, Mapping) and value:
            flat = ", ".join(
                f"{node_key(k)}: {node_text(v, None)}" for k, v in value.items()
            )
            if "\n" not in flat and len(flat) + len(name) + 2 + 4 * indent <= WIDTH:
                return f"{name}({flat})"
            inner = INDENT * (indent + 1)
            body = "".join(
                f"{inner}{node_key(k)}: {node_text(v, indent + 1)}\n"
                for k, v in value.items()
            )
            return f"{name}(\n{body}{INDENT * indent})"
        return f"{name}({node_text(value, indent, len(name) + 1)})"

    def _is_object_trait(self, trait_id: str) -> bool:
        shape = self.model.shapes.get(trait_id)
        return (
            isinstance(shape, Mapping)
            and shape.get("type") in ("structure", "map")
            and "smithy.api#trait" in shape.get("traits", {})
        )

    def _shape(self, shape_id: str, shape: Mapping[str, Any]) -> None:
        _, name = _split(shape_id)
        kind = shape["type"]
        traits = shape.get("traits", {})
        if kind == "apply":
            self._apply(self.ref(shape_id), traits)
            return
        if "$" in name:
            raise IdlWriteError(f"{shape_id}: a member id cannot define a shape")
        self._docs_and_traits(0, traits)
        header = f"{kind} {name}{self._mixins(shape, shape_id)}"
        if kind in _SIMPLE_TYPES:
            self._emit(0, header)
        elif kind in _MEMBER_TYPES or kind in ("list", "map"):
            self._aggregate(0, header + " ", shape_id, shape)
        elif kind == "operation":
            self._operation(header, shape_id, shape)
        elif kind in ("service", "resource"):
            self._entity(header, shape_id, shape)
        else:
            raise IdlWriteError(f"{shape_id}: shape type {kind!r} has no IDL 2.0 form")

    def _mixins(self, shape: Mapping[str, Any], shape_id: str) -> str:
        mixins = [_target(m, f"{shape_id} mixins") for m in shape.get("mixins", [])]
        if not mixins:
            return ""
        return " with [" + ", ".join(self.ref(m) for m in mixins) + "]"

    def _apply(self, name: str, traits: Mapping[str, Any]) -> None:
        # Doc comments are ignored before apply (idl.rst, "Documentation
        # comment"), so documentation stays an explicit trait here.
        written = [self._trait(t, v, 1) for t, v in traits.items()]
        if len(written) == 1 and "\n" not in written[0]:
            self._emit(0, f"apply {name} {written[0].strip()}")
            return
        self._emit(0, f"apply {name} {{" + ("}" if not written else ""))
        if written:
            for text in written:
                self._emit(1, text)
            self._emit(0, "}")

    def _aggregate(
        self, indent: int, header: str, shape_id: str, shape: Mapping[str, Any]
    ) -> None:
        kind = shape["type"]
        members = _members(shape)
        inherited = self._mixin_members(shape)
        if not members:
            self._emit(indent, header + "{}")
            return
        self._emit(indent, header + "{")
        planned = [
            (name, member, *self._member_sugar(kind, name, member, inherited, indent))
            for name, member in members.items()
        ]
        # Members are separated by blank lines as soon as one carries traits.
        spaced = any(
            set(member.get("traits", {})) - set(skip) for _, member, skip, _ in planned
        )
        for index, (member_name, member, skip, suffix) in enumerate(planned):
            if spaced and index:
                self._emit(0, "")
            self._docs_and_traits(indent + 1, member.get("traits", {}), skip)
            target = _target(member, f"{shape_id}${member_name}")
            if kind in ("enum", "intEnum"):
                if target != _UNIT:
                    raise IdlWriteError(
                        f"{shape_id}${member_name}: must target {_UNIT}"
                    )
                self._emit(indent + 1, member_name + suffix)
            else:
                self._emit(indent + 1, f"{member_name}: {self.ref(target)}{suffix}")
        self._emit(indent, "}")

    @staticmethod
    def _member_sugar(
        kind: str,
        name: str,
        member: Mapping[str, Any],
        inherited: set[str],
        indent: int,
    ) -> tuple[list[str], str]:
        """The traits written as ``= value`` after the member, and that text."""
        traits = member.get("traits", {})
        if kind in ("enum", "intEnum") and _ENUM_VALUE in traits:
            value = traits[_ENUM_VALUE]
            # A plain enum member gets its name as value from the loader,
            # unless it comes from a mixin (then it inherits the mixin's).
            if kind == "intEnum" or value != name or name in inherited:
                return [_ENUM_VALUE], f" = {node_text(value, indent + 1)}"
            return [_ENUM_VALUE], ""
        if kind == "structure" and _DEFAULT in traits:
            return [_DEFAULT], f" = {node_text(traits[_DEFAULT], indent + 1)}"
        return [], ""

    def _mixin_members(self, shape: Mapping[str, Any]) -> set[str]:
        names: set[str] = set()
        pending = [m.get("target") for m in shape.get("mixins", [])]
        seen: set[object] = set()
        while pending:
            mixin_id = pending.pop()
            mixin = (
                self.model.shapes.get(mixin_id) if isinstance(mixin_id, str) else None
            )
            if mixin_id in seen or not isinstance(mixin, Mapping):
                continue
            seen.add(mixin_id)
            names.update(_members(mixin))
            pending.extend(m.get("target") for m in mixin.get("mixins", []))
        return names

    def _operation(self, header: str, shape_id: str, shape: Mapping[str, Any]) -> None:
        parts = [key for key in ("input", "output", "errors") if key in shape]
        if not parts:
            self._emit(0, header + " {}")
            return
        self._emit(0, header + " {")
        for index, key in enumerate(parts):
            if index:
                self._emit(0, "")
            if key == "errors":
                errors = [self.ref(_target(e, shape_id)) for e in shape["errors"]]
                self._emit(1, "errors: " + self._id_list(errors, 1, len("errors: ")))
                continue
            target = _target(shape[key], f"{shape_id} {key}")
            if self.inlined.get(target) != key:
                self._emit(1, f"{key}: {self.ref(target)}")
                continue
            struct = self.model.shapes[target]
            traits = {
                t: v
                for t, v in struct.get("traits", {}).items()
                if t not in (_INPUT, _OUTPUT)
            }
            mixins = self._mixins(struct, target).lstrip()
            if not traits:
                self._aggregate(
                    1, f"{key} := {mixins + ' ' if mixins else ''}", target, struct
                )
                continue
            # Doc comments after ':=' document the inline structure
            # (idl-valid/doc-comments: "not ignored because they come AFTER").
            self._emit(1, f"{key} :=")
            self._docs_and_traits(2, traits)
            self._aggregate(2, f"{mixins} " if mixins else "", target, struct)
        self._emit(0, "}")

    def _entity(self, header: str, shape_id: str, shape: Mapping[str, Any]) -> None:
        body: list[tuple[str, str]] = []
        for key, value in shape.items():
            if key in ("type", "traits", "mixins"):
                continue
            if key == "version":
                text = node_text(value, 1)
            elif key in _RESOURCE_REFS:
                text = self.ref(_target(value, f"{shape_id} {key}"))
            elif key in (*_RESOURCE_LISTS, "errors"):
                refs = [self.ref(_target(ref, f"{shape_id} {key}")) for ref in value]
                text = self._id_list(refs, 1, len(key) + 2)
            elif key in ("identifiers", "properties"):
                named = {
                    k: self.ref(_target(r, f"{shape_id} {key}"))
                    for k, r in value.items()
                }
                text = self._id_map(named, 1, len(key) + 2)
            elif key == "rename":
                text = node_text(value, 1)
            else:
                raise IdlWriteError(
                    f"{shape_id}: unknown {shape['type']} property {key!r}"
                )
            body.append((key, text))
        if not body:
            self._emit(0, header + " {}")
            return
        self._emit(0, header + " {")
        for key, text in body:
            self._emit(1, f"{key}: {text}")
        self._emit(0, "}")

    @staticmethod
    def _id_list(ids: list[str], indent: int, used: int) -> str:
        flat = "[" + ", ".join(ids) + "]"
        if len(flat) + used + 4 * indent <= WIDTH:
            return flat
        inner = INDENT * (indent + 1)
        return "[\n" + "".join(f"{inner}{i}\n" for i in ids) + INDENT * indent + "]"

    @staticmethod
    def _id_map(ids: Mapping[str, str], indent: int, used: int) -> str:
        pairs = [f"{node_key(k)}: {v}" for k, v in ids.items()]
        flat = "{" + ", ".join(pairs) + "}"
        if len(flat) + used + 4 * indent <= WIDTH:
            return flat
        inner = INDENT * (indent + 1)
        return "{\n" + "".join(f"{inner}{p}\n" for p in pairs) + INDENT * indent + "}"


def _members(shape: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A shape's members by name, list/map members included, in AST order."""
    members: dict[str, Mapping[str, Any]] = dict(shape.get("members", {}))
    for key in ("member", "key", "value"):
        if key in shape:
            members[key] = shape[key]
    return members
