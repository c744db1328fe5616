"""Checks on the merged model that need every shape: mixins, elision, enums, targets.

Works on the JSON AST dicts the assembler built, so IDL and JSON AST inputs
are checked alike.  Each check records diagnostics on the assembler and
carries on, so one run reports every problem it can see.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from smithygen.idl import _references as references
from smithygen.idl._prelude import PRELUDE_NAMESPACE, PRELUDE_SHAPE_TYPES
from smithygen.idl._shapes import attach_member, members_of
from smithygen.idl._syntax import ENUM_VALUE, MIXIN
from smithygen.idl._trait_values import TraitValueChecker

if TYPE_CHECKING:
    from smithygen.idl._assembler import Assembler, Origin

_UNIT = f"{PRELUDE_NAMESPACE}#Unit"
_RESOURCE_PROPERTIES = (
    "identifiers",
    "properties",
    "create",
    "put",
    "read",
    "update",
    "delete",
    "list",
    "operations",
    "collectionOperations",
    "resources",
)


def _mixin_ids(shape: dict[str, Any]) -> list[str]:
    return [
        ref["target"]
        for ref in shape.get("mixins", ())
        if isinstance(ref, dict) and isinstance(ref.get("target"), str)
    ]


class ModelChecker:
    """Runs the whole-model checks over an assembler's shapes."""

    def __init__(self, assembler: Assembler) -> None:
        self.assembler = assembler
        self.shapes = assembler.shapes
        self._effective: dict[str, dict[str, tuple[str | None, str]]] = {}
        self._resolving: set[str] = set()
        #: (shape type, role, target) -> problem; most targets repeat a lot.
        self.reference_problems: dict[tuple[str, str, str], str | None] = {}

    def _error(self, origin: Origin, message: str) -> None:
        self.assembler.error(origin, message)

    def type_of(self, shape_id: str) -> str | None:
        """The type of a shape of the model or the prelude; ``None`` if undefined."""
        root = shape_id.partition("$")[0]
        shape = self.shapes.get(root)
        if shape is not None:
            return str(shape.get("type"))
        namespace, _, name = root.partition("#")
        if namespace == PRELUDE_NAMESPACE:
            return PRELUDE_SHAPE_TYPES.get(name)
        return None

    # ------------------------------------------------------------------
    # mixins and members inherited through them

    def effective_members(self, shape_id: str) -> dict[str, tuple[str | None, str]]:
        """Member name -> (target, declaring member id), mixins first, then local."""
        cached = self._effective.get(shape_id)
        if cached is not None:
            return cached
        shape = self.shapes.get(shape_id)
        if shape is None or shape_id in self._resolving:
            return {}
        self._resolving.add(shape_id)
        members: dict[str, tuple[str | None, str]] = {}
        for mixin_id in _mixin_ids(shape):
            for name, found in self.effective_members(mixin_id).items():
                members.setdefault(name, found)
        for name, member in members_of(shape).items():
            target = member.get("target")
            members[name] = (target, f"{shape_id}${name}")
        self._resolving.discard(shape_id)
        self._effective[shape_id] = members
        return members

    def inherited_member(self, shape_id: str, name: str) -> str | None:
        """The target of member ``name`` that the mixins of ``shape_id`` provide."""
        shape = self.shapes.get(shape_id)
        if shape is None:
            return None
        for mixin_id in _mixin_ids(shape):
            found = self.effective_members(mixin_id).get(name)
            if found is not None and found[0] is not None:
                return found[0]
        return None

    def _check_mixins(self) -> None:
        for shape_id, shape in self.shapes.items():
            mixins = _mixin_ids(shape)
            if not mixins:
                continue
            origin = self.assembler.origin_of(shape_id)
            wrong_type = []
            for mixin_id in mixins:
                mixin = self.shapes.get(mixin_id)
                if mixin is None:
                    self._error(
                        origin, f"{shape_id}: unable to resolve mixin `{mixin_id}`"
                    )
                    continue
                if MIXIN not in mixin.get("traits", {}):
                    self._error(
                        origin,
                        f"{shape_id}: cannot mix in `{mixin_id}`, "
                        "which is not marked with the @mixin trait",
                    )
                if mixin.get("type") != shape.get("type"):
                    wrong_type.append(f"`{mixin_id}`")
            if wrong_type:
                kind = shape.get("type")
                self._error(
                    origin,
                    "Mixins may only be mixed into shapes of the same type. The following "
                    f"mixins were applied to the {kind} shape `{shape_id}` which are not "
                    f"{kind} shapes: [{', '.join(wrong_type)}]",
                )
            if self._has_cycle(shape_id, set()):
                self._error(origin, f"{shape_id}: mixins form a cycle")

    def _has_cycle(self, shape_id: str, path: set[str]) -> bool:
        if shape_id in path:
            return True
        shape = self.shapes.get(shape_id)
        if shape is None:
            return False
        path.add(shape_id)
        cyclic = any(self._has_cycle(mixin_id, path) for mixin_id in _mixin_ids(shape))
        path.discard(shape_id)
        return cyclic

    def _check_member_conflicts(self) -> None:
        for shape_id, shape in self.shapes.items():
            mixins = _mixin_ids(shape)
            if not mixins:
                continue
            origin = self.assembler.origin_of(shape_id)
            inherited: dict[str, tuple[str | None, str]] = {}
            for mixin_id in mixins:
                for name, (target, declared) in self.effective_members(
                    mixin_id
                ).items():
                    previous = inherited.get(name.lower())
                    if previous is not None and (
                        previous[0] != target or previous[1].rpartition("$")[2] != name
                    ):
                        self._error(
                            origin,
                            f"{shape_id}${name}: Member conflicts with an inherited mixin "
                            f"member: `{previous[1]}`",
                        )
                    inherited.setdefault(name.lower(), (target, declared))
            for name, member in members_of(shape).items():
                previous = inherited.get(name.lower())
                if previous is None:
                    continue
                if previous[1].rpartition("$")[2] != name or (
                    member.get("target") != previous[0]
                    and shape.get("type") not in ("enum", "intEnum")
                ):
                    self._error(
                        origin,
                        f"{shape_id}${name}: Member conflicts with an inherited mixin "
                        f"member: `{previous[1]}`",
                    )

    def _check_case_conflicts(self) -> None:
        # model.rst, "Shape ID conflicts": ids must differ case-insensitively.
        seen: dict[str, str] = {}
        for shape_id in self.shapes:
            previous = seen.setdefault(shape_id.lower(), shape_id)
            if previous != shape_id:
                self._error(
                    self.assembler.origin_of(shape_id),
                    f"Shape id `{shape_id}` conflicts with `{previous}`: shape ids "
                    "must be unique when compared case-insensitively",
                )

    # ------------------------------------------------------------------
    # target elision (idl.rst, "Target Elision")

    def _resolve_elisions(self) -> None:
        for resource_id, origin in self.assembler.bound_resources.values():
            resource = self.shapes.get(resource_id)
            if resource is not None and resource.get("type") != "resource":
                self._error(
                    origin,
                    "The target of the `for` production must be a resource shape, but "
                    f"found a {resource.get('type')} shape: {resource_id}",
                )
        pending = dict(self.assembler.elided)
        while pending:
            (shape_id, name), origin = pending.popitem()
            self._resolve_elided(shape_id, name, origin, pending)

    def _resolve_elided(
        self,
        shape_id: str,
        name: str,
        origin: Origin,
        pending: dict[tuple[str, str], Origin],
    ) -> None:
        shape = self.shapes[shape_id]
        target = None
        bound = self.assembler.bound_resources.get(shape_id)
        if bound is not None:
            resource = self.shapes.get(bound[0], {})
            if resource.get("type") == "resource":
                for key in ("identifiers", "properties"):
                    bound_ref = resource.get(key, {}).get(name)
                    if isinstance(bound_ref, dict) and "target" in bound_ref:
                        target = bound_ref["target"]
                        break
        if target is None:
            # Mixin members that are elided themselves are resolved first.
            for mixin_id in _mixin_ids(shape):
                mixin_member = (mixin_id, name)
                if mixin_member in pending:
                    self._resolve_elided(
                        mixin_id, name, pending.pop(mixin_member), pending
                    )
            self._effective.clear()
            target = self.inherited_member(shape_id, name)
        member = members_of(shape)[name]
        if target is None:
            self._error(
                origin,
                f"{shape_id}${name}: Member target was elided, but no bound resource or "
                "mixin contained a matching identifier or member name.",
            )
            target = _UNIT
        rest = {key: value for key, value in member.items() if key != "target"}
        attach_member(shape, name, {"target": target, **rest})

    # ------------------------------------------------------------------
    # shape-specific rules

    def _check_enums(self, shape_id: str, shape: dict[str, Any]) -> None:
        kind = shape["type"]
        origin = self.assembler.origin_of(shape_id)
        members = members_of(shape)
        if not members and not shape.get("mixins"):
            what = (
                "enum must have at least one entry"
                if kind == "enum"
                else ("intEnum shapes must have at least one member")
            )
            self._error(origin, f"{shape_id}: {what}")
        seen_values: dict[Any, str] = {}
        for name, member in members.items():
            traits = member.get("traits", {})
            value: Any = traits.get(ENUM_VALUE, name if kind == "enum" else None)
            if value is not None and not isinstance(value, (dict, list)):
                other = seen_values.setdefault(value, name)
                if other != name:
                    self._error(
                        origin,
                        f"{shape_id}: members `{other}` and `{name}` have the same "
                        f"value {json.dumps(value)}",
                    )
            if ENUM_VALUE not in traits:
                if self.inherited_member(shape_id, name) is not None:
                    continue
                if kind == "enum":
                    member["traits"] = {**traits, ENUM_VALUE: name}
                    continue
                value = None
            else:
                value = traits[ENUM_VALUE]
            # The value's own position (its ``=``) when the IDL wrote one.
            at = self.assembler.trait_origins.get((f"{shape_id}${name}", ENUM_VALUE))
            if kind == "intEnum":
                # simple-types.rst, "intEnum": values are 32-bit signed integers.
                if not _is_int32(value):
                    self._error(
                        at or origin,
                        f"{shape_id}${name}: intEnum members require integer values, "
                        f"but found: {json.dumps(value)}",
                    )
            elif not isinstance(value, str) or value == "":
                self._error(
                    at or origin,
                    f"{shape_id}${name}: enum members require non-empty string values, "
                    f"but found: {json.dumps(value)}",
                )

    def _check_collection(self, shape_id: str, shape: dict[str, Any]) -> None:
        if shape.get("mixins"):
            return
        wanted = ("key", "value") if shape["type"] == "map" else ("member",)
        missing = [name for name in wanted if name not in shape]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            self._error(
                self.assembler.origin_of(shape_id),
                f"Missing required member{plural} of shape `{shape_id}`: {', '.join(missing)}",
            )

    def _check_mixin_shapes(self, shape_id: str, shape: dict[str, Any]) -> None:
        if MIXIN not in shape.get("traits", {}):
            return
        origin = self.assembler.origin_of(shape_id)
        if shape["type"] == "operation":
            if any(
                shape.get(name, {}).get("target", _UNIT) != _UNIT
                for name in ("input", "output")
            ):
                self._error(
                    origin,
                    "Operation shapes with the mixin trait MUST target `smithy.api#Unit` "
                    "for their input and output. Operation mixin shape "
                    f"`{shape_id}` defines one or both of these properties.",
                )
        elif shape["type"] == "resource" and any(
            shape.get(name) for name in _RESOURCE_PROPERTIES
        ):
            self._error(
                origin,
                "Resource shapes with the mixin trait may not define any properties. "
                f"Resource mixin shape `{shape_id}` defines one or more properties.",
            )

    def check(self) -> None:
        """Run every whole-model check, filling in elided targets and enum values."""
        self._check_case_conflicts()
        self._check_mixins()
        self._resolve_elisions()
        self._effective.clear()
        self._check_member_conflicts()
        for shape_id, shape in self.shapes.items():
            kind = shape.get("type")
            if kind in ("enum", "intEnum"):
                self._check_enums(shape_id, shape)
            elif kind in ("list", "set", "map"):
                self._check_collection(shape_id, shape)
            elif (
                kind == "union" and not shape.get("members") and not shape.get("mixins")
            ):
                self._error(
                    self.assembler.origin_of(shape_id),
                    f"{shape_id}: unions must have at least one member",
                )
            self._check_mixin_shapes(shape_id, shape)
            references.check_shape(self, shape_id, shape)
        self._check_trait_values()

    def _check_trait_values(self) -> None:
        """Every trait value against its definition (see _trait_values)."""
        values = TraitValueChecker(self)
        owners: list[tuple[str, str, dict[str, Any]]] = []
        for shape_id, shape in self.shapes.items():
            owners.append((shape_id, shape_id, shape.get("traits", {})))
            owners.extend(
                (shape_id, f"{shape_id}${name}", member.get("traits", {}))
                for name, member in members_of(shape).items()
            )
        owners.extend(
            (member_id.partition("$")[0], member_id, traits)
            for member_id, traits in self.assembler.inherited_member_traits.items()
        )
        origins = self.assembler.trait_origins
        for shape_id, owner, traits in owners:
            for trait_id, value in traits.items():
                for path, problem in values.problems(trait_id, value):
                    origin = origins.get((owner, trait_id))
                    self._error(
                        origin or self.assembler.origin_of(shape_id),
                        f"{owner}: error validating trait `{trait_id}`{path}: {problem}",
                    )


_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def _is_int32(value: Any) -> bool:
    """Whether a node value is an integer that fits a 32-bit signed int."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and _INT32_MIN <= value <= _INT32_MAX
    )
