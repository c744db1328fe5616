"""Assembles parsed IDL files and JSON AST documents into one Smithy JSON AST.

The order of work follows the spec: every file is parsed first (a relative id
may name a shape that a later file defines), then ids are resolved (use, the
file's namespace, the prelude), shapes of the same id are merged, apply
statements and JSON ``apply`` entries add their traits, elided targets are
filled in, and finally the model is checked (mixins, enums, unresolved
targets).  Problems are collected so one run reports all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smithygen.errors import Diagnostic
from smithygen.idl._lexer import line_and_column
from smithygen.idl._prelude import PRELUDE_NAMESPACE, PRELUDE_SHAPE_TYPES
from smithygen.idl._shapes import MEMBERED, members_of
from smithygen.idl._syntax import (
    MIXIN,
    NO_VALUE,
    MemberDef,
    ParsedFile,
    Ref,
    ShapeDef,
    SyntacticId,
    TraitUse,
)
from smithygen.idl._upgrade import upgrade_v1_shapes
from smithygen.idl._validate import ModelChecker

_UNIT = f"{PRELUDE_NAMESPACE}#Unit"
_SERVICE_LISTS = ("operations", "resources", "errors")
_RESOURCE_LISTS = ("operations", "collectionOperations", "resources")
_RESOURCE_SINGLES = ("create", "put", "read", "update", "delete", "list")
_RESOURCE_MAPS = ("identifiers", "properties")


@dataclass(slots=True)
class Origin:
    """Where something was written, for diagnostics."""

    filename: str
    text: str
    pos: int


@dataclass(slots=True)
class JsonDocument:
    """A JSON AST file already decoded, with its text for positions."""

    filename: str
    text: str
    data: dict[str, Any]


class Assembler:
    """Collects files, then ``assemble()`` returns the merged JSON AST."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.files: list[ParsedFile] = []
        self.documents: list[JsonDocument] = []
        self.shapes: dict[str, dict[str, Any]] = {}
        self.origins: dict[str, Origin] = {}
        self.metadata: dict[str, Any] = {}
        self.defined_types: dict[str, str] = {}
        self.namespaces: set[str] = {PRELUDE_NAMESPACE}
        #: Members written ``$name``: (shape id, member name) -> origin.
        self.elided: dict[tuple[str, str], Origin] = {}
        #: Structures bound with ``for Resource``.
        self.bound_resources: dict[str, tuple[str, Origin]] = {}
        #: Where each IDL member's target was written: (shape id, member) -> origin.
        self.target_origins: dict[tuple[str, str], Origin] = {}
        #: Traits applied to members a shape only inherits from its mixins,
        #: by member id: printed as ``apply`` entries, never as members.
        self.inherited_member_traits: dict[str, dict[str, Any]] = {}
        #: Where each IDL trait was written: (shape or member id, trait id) -> origin.
        self.trait_origins: dict[tuple[str, str], Origin] = {}
        #: Shapes defined by IDL 1.0 files or 1.0 JSON AST documents.
        self.v1_shapes: set[str] = set()

    # ------------------------------------------------------------------
    # diagnostics

    def error(self, origin: Origin, message: str) -> None:
        """Record one problem at ``origin``."""
        line, column = line_and_column(origin.text, origin.pos)
        self.diagnostics.append(Diagnostic(origin.filename, line, column, message))

    def origin_of(self, shape_id: str) -> Origin:
        """Where a shape (or the shape of a member id) was defined."""
        found = self.origins.get(shape_id.partition("$")[0])
        return found if found is not None else Origin("<model>", "", 0)

    # ------------------------------------------------------------------
    # resolution

    def _collect_definitions(self) -> None:
        for parsed in self.files:
            if parsed.namespace is not None:
                self.namespaces.add(parsed.namespace)
            for shape in parsed.shapes:
                self.defined_types.setdefault(shape.shape_id, shape.type)
        for document in self.documents:
            for shape_id, shape in document.data.get("shapes", {}).items():
                self.namespaces.add(shape_id.partition("#")[0])
                if isinstance(shape, dict) and shape.get("type") != "apply":
                    self.defined_types.setdefault(shape_id, str(shape.get("type")))

    def resolve(self, parsed: ParsedFile, text: str) -> str:
        """Resolve a shape id as written in ``parsed`` to an absolute id."""
        root, dollar, member = text.partition("$")
        if "#" in root:
            return text
        imported = parsed.uses.get(root)
        if imported is not None:
            return imported + dollar + member
        namespace = parsed.namespace
        if namespace is not None:
            local = f"{namespace}#{root}"
            if local in self.defined_types:
                return local + dollar + member
        if root in PRELUDE_SHAPE_TYPES:
            return f"{PRELUDE_NAMESPACE}#{root}{dollar}{member}"
        if namespace is None:
            return text
        return f"{namespace}#{text}"

    def shape_type(self, shape_id: str) -> str | None:
        """The type of a defined shape, prelude included; ``None`` when unknown."""
        found = self.defined_types.get(shape_id)
        if found is not None:
            return found
        namespace, _, name = shape_id.partition("#")
        if namespace == PRELUDE_NAMESPACE:
            return PRELUDE_SHAPE_TYPES.get(name)
        return None

    def _node(self, parsed: ParsedFile, value: Any) -> Any:
        kind = type(value)
        if kind is SyntacticId:
            return self.resolve(parsed, value)
        if kind is dict:
            for key, item in value.items():
                if type(item) is not str:
                    value[key] = self._node(parsed, item)
        elif kind is list:
            for index, item in enumerate(value):
                if type(item) is not str:
                    value[index] = self._node(parsed, item)
        return value

    def _target(self, parsed: ParsedFile, ref: Ref) -> dict[str, str]:
        return {"target": self.resolve(parsed, ref.text)}

    # ------------------------------------------------------------------
    # traits

    def _trait_value(self, trait_id: str, value: Any) -> Any:
        if value is not NO_VALUE:
            return value
        kind = self.shape_type(trait_id)
        if kind in ("list", "set"):
            return []
        if kind is None or kind in ("structure", "map"):
            return {}
        return None

    def add_trait(
        self,
        owner: str,
        traits: dict[str, Any],
        trait_id: str,
        value: Any,
        origin: Origin,
    ) -> None:
        """Apply one trait, reconciling conflicts (model.rst, "Trait conflict resolution")."""
        if trait_id not in traits:
            traits[trait_id] = value
            return
        existing = traits[trait_id]
        if (
            isinstance(existing, list)
            and isinstance(value, list)
            and self.shape_type(trait_id) in ("list", "set", None)
        ):
            traits[trait_id] = existing + value
            return
        if existing == value:
            return
        self.error(
            origin, f"Conflicting `{trait_id}` trait values applied to `{owner}`"
        )

    def _check_trait_ref(
        self, parsed: ParsedFile, use: TraitUse, trait_id: str
    ) -> None:
        namespace, _, name = trait_id.partition("#")
        if trait_id in self.defined_types:
            return
        if namespace == PRELUDE_NAMESPACE and name in PRELUDE_SHAPE_TYPES:
            return
        # Traits of namespaces no input defines (aws.api, smithy.rules, ...)
        # are taken on trust: their definitions are simply not loaded.
        if namespace in self.namespaces:
            self.error(
                Origin(parsed.filename, parsed.text, use.ref.pos),
                f"Unable to resolve trait `{trait_id}`. If this is a custom trait, "
                "then it must be defined before it can be used in a model.",
            )

    def _traits(
        self, parsed: ParsedFile, owner: str, uses: list[TraitUse]
    ) -> dict[str, Any]:
        traits: dict[str, Any] = {}
        for use in uses:
            trait_id = self.resolve(parsed, use.ref.text)
            self._check_trait_ref(parsed, use, trait_id)
            if trait_id == MIXIN and parsed.major_version < 2:
                self.error(
                    Origin(parsed.filename, parsed.text, use.ref.pos),
                    "Mixins can only be used in Smithy 2.0 or later. Attempted to apply "
                    f"a @mixin trait to `{owner}` in a model file using version "
                    f"`{parsed.version}`.",
                )
            value = self._trait_value(trait_id, self._node(parsed, use.value))
            origin = Origin(parsed.filename, parsed.text, use.ref.pos)
            self.trait_origins.setdefault((owner, trait_id), origin)
            self.add_trait(owner, traits, trait_id, value, origin)
        return traits

    # ------------------------------------------------------------------
    # shapes from IDL

    def _member(
        self, parsed: ParsedFile, owner: str, member: MemberDef
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if member.target is not None:
            out["target"] = self.resolve(parsed, member.target.text)
            self.target_origins[(owner, member.name)] = Origin(
                parsed.filename, parsed.text, member.target.pos
            )
        else:
            self.elided[(owner, member.name)] = Origin(
                parsed.filename, parsed.text, member.pos
            )
        if member.traits:
            out["traits"] = self._traits(
                parsed, f"{owner}${member.name}", member.traits
            )
        return out

    def _build(self, parsed: ParsedFile, shape: ShapeDef) -> dict[str, Any]:
        shape_id = shape.shape_id
        origin = Origin(parsed.filename, parsed.text, shape.pos)
        out: dict[str, Any] = {"type": shape.type}
        kind = shape.type
        members = {
            name: self._member(parsed, shape_id, member)
            for name, member in shape.members.items()
        }
        if kind in MEMBERED:
            out["members"] = members
        elif kind in ("list", "set", "map"):
            allowed = ("key", "value") if kind == "map" else ("member",)
            for name, member in members.items():
                if name not in allowed:
                    self.error(
                        Origin(parsed.filename, parsed.text, shape.members[name].pos),
                        f"{kind} shapes may only have {' and '.join(allowed)} members, "
                        f"but found `{name}`",
                    )
                else:
                    out[name] = member
        if shape.resource is not None:
            resource_id = self.resolve(parsed, shape.resource.text)
            self.bound_resources[shape_id] = (
                resource_id,
                Origin(parsed.filename, parsed.text, shape.resource.pos),
            )
        if kind == "operation":
            self._operation(parsed, shape, out)
        elif kind in ("service", "resource"):
            self._entity(parsed, shape, out, origin)
        if shape.mixins:
            out["mixins"] = [self._target(parsed, ref) for ref in shape.mixins]
        if shape.traits:
            out["traits"] = self._traits(parsed, shape_id, shape.traits)
        return out

    def _operation(
        self, parsed: ParsedFile, shape: ShapeDef, out: dict[str, Any]
    ) -> None:
        properties = shape.properties
        for name in ("input", "output"):
            ref = properties.get(name)
            if ref is not None:
                out[name] = self._target(parsed, ref)
            elif not shape.mixins:
                out[name] = {"target": _UNIT}
        errors = properties.get("errors")
        if errors:
            out["errors"] = [self._target(parsed, ref) for ref in errors]

    def _entity_ref(
        self, parsed: ParsedFile, value: Any, where: str, origin: Origin
    ) -> dict[str, str]:
        if isinstance(value, str):
            return {"target": self.resolve(parsed, value)}
        self.error(origin, f"Expected a shape id for `{where}`, but found {value!r}")
        return {"target": _UNIT}

    def _entity(
        self, parsed: ParsedFile, shape: ShapeDef, out: dict[str, Any], origin: Origin
    ) -> None:
        is_service = shape.type == "service"
        lists = _SERVICE_LISTS if is_service else _RESOURCE_LISTS
        for key, value in shape.properties.items():
            at = Origin(parsed.filename, parsed.text, getattr(value, "pos", shape.pos))
            if key in lists and isinstance(value, list):
                if value:
                    out[key] = [
                        self._entity_ref(parsed, item, key, at) for item in value
                    ]
            elif is_service and key == "version" and isinstance(value, str):
                out[key] = str(value)
            elif is_service and key == "rename" and isinstance(value, dict):
                out[key] = {str(k): str(v) for k, v in value.items()}
            elif not is_service and key in _RESOURCE_SINGLES:
                out[key] = self._entity_ref(parsed, value, key, at)
            elif not is_service and key in _RESOURCE_MAPS and isinstance(value, dict):
                out[key] = {
                    name: self._entity_ref(parsed, item, f"{key}.{name}", at)
                    for name, item in value.items()
                }
            else:
                self.error(
                    origin,
                    f"Invalid `{key}` property of {shape.type} `{shape.shape_id}`",
                )

    # ------------------------------------------------------------------
    # merging

    def _add_shape(self, shape_id: str, shape: dict[str, Any], origin: Origin) -> None:
        existing = self.shapes.get(shape_id)
        if existing is None:
            self.shapes[shape_id] = shape
            self.origins[shape_id] = origin
            return
        if _without_traits(existing) != _without_traits(shape):
            self.error(origin, f"Conflicting shape definition for `{shape_id}`")
            return
        for trait_id, value in shape.get("traits", {}).items():
            self.add_trait(
                shape_id, existing.setdefault("traits", {}), trait_id, value, origin
            )
        for name, member in members_of(shape).items():
            target = members_of(existing)[name]
            for trait_id, value in member.get("traits", {}).items():
                self.add_trait(
                    f"{shape_id}${name}",
                    target.setdefault("traits", {}),
                    trait_id,
                    value,
                    origin,
                )

    def _apply(self, target: str, traits: dict[str, Any], origin: Origin) -> None:
        shape_id, _, member_name = target.partition("$")
        shape = self.shapes.get(shape_id)
        if shape is None:
            self.error(
                origin, f"Cannot apply traits to `{target}`: no such shape is defined"
            )
            return
        owner = shape
        if member_name:
            members = members_of(shape)
            member = members.get(member_name)
            if member is None:
                inherited = ModelChecker(self).inherited_member(shape_id, member_name)
                if inherited is None:
                    self.error(
                        origin, f"Cannot apply traits to `{target}`: no such member"
                    )
                    return
                # mixins.rst, "Adding and replacing traits on copied members":
                # the shape keeps only its local members, and Smithy's
                # serializer records the traits added to a copied member as an
                # ``apply`` entry (json-ast.rst, "AST apply type").
                member = {"traits": self.inherited_member_traits.setdefault(target, {})}
            owner = member
        for trait_id, value in traits.items():
            self.add_trait(
                target, owner.setdefault("traits", {}), trait_id, value, origin
            )

    def _fold_members_copied_from_mixins(self, checker: ModelChecker) -> None:
        """Members a shape redefines from its mixins print as their local traits.

        A member written again in a shape with mixins (``@required $id``, or
        ``id: String`` with the mixin's target) is the copied member with traits
        added; Smithy's serializer prints no member for it, only an ``apply``
        entry of the added traits, none when there are none (mixins.rst,
        "Adding and replacing traits on copied members").
        """
        copied = [
            (shape_id, name)
            for shape_id, shape in self.shapes.items()
            if shape.get("mixins")
            for name in members_of(shape)
            if checker.inherited_member(shape_id, name) is not None
        ]
        for shape_id, name in copied:
            shape = self.shapes[shape_id]
            if "members" in shape:
                member = shape["members"].pop(name)
            else:
                member = shape.pop(name)
            member_id = f"{shape_id}${name}"
            applied = self.inherited_member_traits.get(member_id, {})
            # Written traits first, applied ones after: the order they came in.
            traits = {**member.get("traits", {}), **applied}
            if traits:
                self.inherited_member_traits[member_id] = traits

    def add_metadata(self, key: str, value: Any, origin: Origin) -> None:
        """Merge one metadata entry (model.rst, "Metadata conflicts")."""
        if key not in self.metadata:
            self.metadata[key] = value
        elif isinstance(self.metadata[key], list) and isinstance(value, list):
            self.metadata[key] = self.metadata[key] + value
        elif self.metadata[key] != value:
            self.error(origin, f"Metadata conflict for key `{key}`")

    # ------------------------------------------------------------------

    def assemble(self) -> dict[str, Any]:
        """Merge everything added so far; diagnostics collect in ``self.diagnostics``."""
        self._collect_definitions()
        applies: list[tuple[str, dict[str, Any], Origin]] = []
        for parsed in self.files:
            for key, value, pos in parsed.metadata:
                origin = Origin(parsed.filename, parsed.text, pos)
                self.add_metadata(key, self._metadata_node(value), origin)
            for shape in parsed.shapes:
                origin = Origin(parsed.filename, parsed.text, shape.pos)
                self._add_shape(shape.shape_id, self._build(parsed, shape), origin)
                if parsed.major_version < 2:
                    self.v1_shapes.add(shape.shape_id)
            for apply in parsed.applies:
                origin = Origin(parsed.filename, parsed.text, apply.target.pos)
                target = self.resolve(parsed, apply.target.text)
                applies.append(
                    (target, self._traits(parsed, target, apply.traits), origin)
                )
        for document in self.documents:
            self._add_document(document, applies)
        for target, traits, origin in applies:
            self._apply(target, traits, origin)
        upgrade_v1_shapes(self.shapes, self.v1_shapes)
        checker = ModelChecker(self)
        checker.check()
        self._fold_members_copied_from_mixins(checker)
        model: dict[str, Any] = {"smithy": "2.0"}
        if self.metadata:
            model["metadata"] = self.metadata
        model["shapes"] = self.shapes
        for member_id, traits in self.inherited_member_traits.items():
            if traits:  # an empty ``apply X$m {}`` leaves no trace
                self.shapes[member_id] = {"type": "apply", "traits": traits}
        return model

    def _metadata_node(self, value: Any) -> Any:
        # Metadata has no namespace: unquoted ids resolve only to the prelude.
        kind = type(value)
        if kind is SyntacticId:
            root = value.partition("$")[0]
            if "#" not in root and root in PRELUDE_SHAPE_TYPES:
                return f"{PRELUDE_NAMESPACE}#{value}"
            return str(value)
        if kind is dict:
            return {key: self._metadata_node(item) for key, item in value.items()}
        if kind is list:
            return [self._metadata_node(item) for item in value]
        return value

    def _add_document(
        self, document: JsonDocument, applies: list[tuple[str, dict[str, Any], Origin]]
    ) -> None:
        def origin(shape_id: str) -> Origin:
            found = document.text.find(f'"{shape_id}"')
            return Origin(document.filename, document.text, max(found, 0))

        for key, value in document.data.get("metadata", {}).items():
            self.add_metadata(key, value, origin(key))
        is_v1 = str(document.data.get("smithy", "")).startswith("1")
        for shape_id, shape in document.data.get("shapes", {}).items():
            if shape.get("type") == "apply":
                applies.append(
                    (shape_id, dict(shape.get("traits", {})), origin(shape_id))
                )
            else:
                self._add_shape(shape_id, _copy(shape), origin(shape_id))
                if is_v1:
                    self.v1_shapes.add(shape_id)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _without_traits(shape: dict[str, Any]) -> dict[str, Any]:
    """A shape's definition minus traits, with optional empties spelled one way."""
    stripped = {
        key: value
        for key, value in shape.items()
        if key != "traits" and not (key in ("members", "errors") and not value)
    }
    if stripped.get("type") == "operation" and "mixins" not in stripped:
        for name in ("input", "output"):
            stripped.setdefault(name, {"target": _UNIT})
    for key in ("members", "member", "key", "value"):
        if key in stripped:
            stripped[key] = _strip_member_traits(key, stripped[key])
    return stripped


def _strip_member_traits(key: str, value: Any) -> Any:
    if key == "members" and isinstance(value, dict):
        return {
            name: _strip_member_traits("member", member)
            for name, member in value.items()
        }
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "traits"}
    return value
