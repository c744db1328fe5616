"""Parser of one Smithy IDL file: one method per production of idl.rst's grammar.

The parser keeps one position index into the text.  Methods named after a
production consume it and leave ``self.pos`` after it; ``_fail`` raises a
``ParseError`` that the caller turns into a line and column.  The grammar is
whitespace-sensitive, so three skips exist: ``_sp`` (spaces and tabs),
``_ws`` (any whitespace, commas and comments) and ``_br`` (a required line
break, then any whitespace).
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from smithygen.idl._lexer import (
    COMMENT_RE,
    EXPECTED_NAMES,
    IDENT_CHARS,
    IDENT_RE,
    IDENT_START,
    NODE_VALUE_START,
    NUMBER_START,
    SHAPE_ID_RE,
    SP_RE,
    STRING_RE,
    TEXT_BLOCK_RE,
    WS_RE,
    LexError,
    describe_char,
    describe_token,
    parse_number,
    text_block_value,
    unescape,
)
from smithygen.idl._syntax import (
    DEFAULT,
    DOCUMENTATION,
    ENUM_VALUE,
    INPUT,
    NO_VALUE,
    OUTPUT,
    SIMPLE_TYPES,
    ApplyDef,
    MemberDef,
    ParsedFile,
    Ref,
    ShapeDef,
    SyntacticId,
    TraitUse,
)

_SIMPLE_TYPES = frozenset(SIMPLE_TYPES)
_AGGREGATE_TYPES = frozenset(("list", "set", "map", "union", "structure"))
_VERSION_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_KEYWORDS = {"true": True, "false": False, "null": None}
_WS_START = frozenset(" \t\n\r,/")
_SIMPLE_KEY_RE = re.compile(
    r'(?:([A-Za-z][A-Za-z0-9_]*)|"([^"\\\r\n]*)")[ \t]*:(?!=)[ \t]*'
)


class ParseError(LexError):
    """A syntax or statement-level error at an offset of the file."""


class IdlParser:
    """Parses the text of one ``.smithy`` file into a ``ParsedFile``."""

    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.end = len(text)
        self.pos = 0
        self.file = ParsedFile(filename=filename, text=text)
        self.input_suffix = "Input"
        self.output_suffix = "Output"
        # Documentation comments of the last whitespace run, valid only
        # while the parser stands right after that run.
        self._defined: set[str] = set()
        self._members_of: ShapeDef | None = None
        self._folded_members: set[str] = set()
        self._docs: list[str] = []
        self._docs_at = -1

    # ------------------------------------------------------------------
    # errors and whitespace

    def _fail(self, pos: int, message: str) -> NoReturn:
        raise ParseError(pos, message)

    def _expected(self, what: str, pos: int | None = None) -> NoReturn:
        at = self.pos if pos is None else pos
        found = describe_token(self.text, at)
        if what == "IDENTIFIER" and found.startswith("ERROR("):
            self._fail(at, f"Unexpected character: {describe_char(self.text, at)}")
        self._fail(at, f"Expected {what} but found {found}")

    def _char(self) -> str:
        return self.text[self.pos] if self.pos < self.end else ""

    def _ws(self) -> None:
        start = self.pos
        if start >= self.end or self.text[start] not in _WS_START:
            return
        stop = WS_RE.match(self.text, start).end()  # type: ignore[union-attr]
        if stop != start:
            self.pos = stop
            if self.text.find("///", start, stop) >= 0:
                self._collect_docs(start, stop)

    def _collect_docs(self, start: int, stop: int) -> None:
        lines = []
        for match in COMMENT_RE.finditer(self.text, start, stop):
            body = match.group(1)
            if body.startswith("/") and self._starts_line(match.start()):
                line = body[1:].rstrip("\r")
                lines.append(line[1:] if line.startswith(" ") else line)
        if lines:
            self._docs = lines
            self._docs_at = stop

    def _starts_line(self, pos: int) -> bool:
        """Whether only whitespace precedes ``pos`` on its line.

        idl.rst, "Documentation comment": a documentation comment is formed
        when ``///`` are the first non-whitespace characters on a line; after
        a statement on the same line (``namespace a.b /// x``) it is a plain
        comment.
        """
        line_start = self.text.rfind("\n", 0, pos) + 1
        return not self.text[line_start:pos].strip(" \t,\r")

    def _take_docs(self) -> str | None:
        if self._docs_at == self.pos and self._docs:
            return "\n".join(self._docs)
        return None

    def _sp(self) -> None:
        self.pos = SP_RE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def _require_sp(self) -> None:
        if self._char() not in (" ", "\t"):
            self._expected("SPACE(' ')")
        self._sp()

    def _br(self) -> None:
        pos = SP_RE.match(self.text, self.pos).end()  # type: ignore[union-attr]
        text = self.text
        if (
            pos < self.end
            and text[pos] != "\n"
            and not text.startswith("\r\n", pos)
            and not text.startswith("//", pos)
        ):
            self._fail(
                pos, f"Expected a line break, but found {describe_token(text, pos)}"
            )
        self.pos = pos
        self._ws()

    def _expect(self, char: str) -> None:
        if self.text.startswith(char, self.pos) and not (
            char == ":" and self.text.startswith(":=", self.pos)
        ):
            self.pos += len(char)
        else:
            self._expected(EXPECTED_NAMES[char])

    def _keyword(self, word: str, pos: int | None = None) -> bool:
        at = self.pos if pos is None else pos
        after = at + len(word)
        return self.text.startswith(word, at) and (
            after >= self.end or self.text[after] not in IDENT_CHARS
        )

    # ------------------------------------------------------------------
    # identifiers and shape ids

    def _identifier(self) -> str:
        match = IDENT_RE.match(self.text, self.pos)
        if match is None:
            self._expected("IDENTIFIER")
        word = match.group()
        if word[0] == "_" and not word.strip("_"):
            self._fail(
                match.end(),
                "Expected a valid identifier character, but found "
                + describe_char(self.text, match.end()),
            )
        self.pos = match.end()
        return word

    def _namespace(self) -> str:
        start = self.pos
        self._identifier()
        while self._char() == ".":
            self.pos += 1
            self._identifier()
        return self.text[start : self.pos]

    def _shape_id(self) -> Ref:
        """ShapeId: a root shape id, optionally absolute, with optional $member."""
        start = self.pos
        match = SHAPE_ID_RE.match(self.text, start)
        if match is not None:
            stop = match.end()
            if stop >= self.end or self.text[stop] not in ".#$":
                self.pos = stop
                return Ref(match.group(), start)
        self._namespace()
        if self._char() == "#":
            self.pos += 1
            self._identifier()
        if self._char() == "$":
            self.pos += 1
            self._identifier()
        return Ref(self.text[start : self.pos], start)

    # ------------------------------------------------------------------
    # node values

    def _node_value(self) -> Any:
        pos = self.pos
        char = self.text[pos] if pos < self.end else ""
        if char == '"':
            if self.text.startswith('"""', self.pos):
                return self._text_block()
            return self._quoted_text()
        if char == "{":
            return self._node_object()
        if char == "[":
            return self._node_array()
        if char in NUMBER_START and char:
            try:
                value, self.pos = parse_number(self.text, self.pos)
            except LexError as error:
                self._fail(error.pos, error.message)
            return value
        if char in IDENT_START and char:
            ref = self._shape_id()
            if ref.text in _KEYWORDS:
                return _KEYWORDS[ref.text]
            shape_id = SyntacticId(ref.text)
            shape_id.pos = ref.pos
            return shape_id
        self._expected(NODE_VALUE_START)

    def _quoted_text(self) -> str:
        match = STRING_RE.match(self.text, self.pos)
        if match is None:
            self._fail(self.end, "Expected: '\"', but found '[EOF]'")
        start = self.pos
        self.pos = match.end()
        try:
            return unescape(match.group(1), start)
        except LexError as error:
            self._fail(error.pos, error.message)

    def _text_block(self) -> str:
        match = TEXT_BLOCK_RE.match(self.text, self.pos)
        if match is None:
            self._fail(self.end, "Expected: '\"', but found '[EOF]'")
        start = self.pos
        self.pos = match.end()
        try:
            return text_block_value(match.group(1), start)
        except LexError as error:
            self._fail(error.pos, error.message)

    def _node_array(self) -> list[Any]:
        self.pos += 1
        self._ws()
        values = []
        while self._char() != "]":
            values.append(self._node_value())
            self._ws()
        self.pos += 1
        return values

    def _node_object(self) -> dict[str, Any]:
        self.pos += 1
        self._ws()
        values: dict[str, Any] = {}
        while self._char() != "}":
            self._object_entry(values, "one of RBRACE('}'), STRING('\"'), IDENTIFIER;")
            self._ws()
        self.pos += 1
        return values

    def _object_key(self, expected: str) -> str:
        if self._char() == '"' and not self.text.startswith('"""', self.pos):
            return self._quoted_text()
        if self._char() in IDENT_START and self._char():
            return self._identifier()
        self._expected(expected)

    def _object_entry(self, values: dict[str, Any], expected: str) -> None:
        """NodeObjectKvp: key [WS] ":" [WS] NodeValue."""
        key_pos = self.pos
        match = _SIMPLE_KEY_RE.match(self.text, key_pos)
        if match is not None:
            # Fast path for the usual `key: ` / `"key": ` spelling.
            key = match.group(1) or match.group(2)
            self.pos = match.end()
        else:
            key = self._object_key(expected)
            self._ws()
            self._expect(":")
        self._ws()
        if key in values:
            self._fail(key_pos, f"Duplicate member of object: `{key}`")
        values[key] = self._node_value()

    # ------------------------------------------------------------------
    # file sections

    def parse(self) -> ParsedFile:
        """Parse the whole file (idl: [WS] ControlSection MetadataSection ShapeSection)."""
        self._ws()
        self._control_section()
        self._metadata_section()
        self._shape_section()
        return self.file

    def _control_section(self) -> None:
        seen: set[str] = set()
        while self._char() == "$":
            self.pos += 1
            key = self._object_key("IDENTIFIER")
            self._sp()
            self._expect(":")
            self._sp()
            value_pos = self.pos
            if key in seen:
                self._fail(value_pos, f"Duplicate control statement `{key}`")
            seen.add(key)
            value = self._node_value()
            if key == "version":
                self._version(value, value_pos)
            elif key in ("operationInputSuffix", "operationOutputSuffix"):
                if not isinstance(value, str) or isinstance(value, SyntacticId):
                    self._fail(
                        value_pos, f"The ${key} control statement must be a string"
                    )
                if key == "operationInputSuffix":
                    self.input_suffix = value
                else:
                    self.output_suffix = value
            self._br()

    def _version(self, value: Any, value_pos: int) -> None:
        if not isinstance(value, str) or isinstance(value, SyntacticId):
            self._fail(
                value_pos,
                "The $version control statement must have a string value, "
                f"but found {value}",
            )
        if _VERSION_RE.fullmatch(value) is None or value.split(".")[0] not in (
            "1",
            "2",
        ):
            self._fail(self.pos, f"Unsupported Smithy version number: {value}")
        self.file.version = value if "." in value else value + ".0"

    def _metadata_section(self) -> None:
        while self._keyword("metadata"):
            self.pos += len("metadata")
            self._require_sp()
            key_pos = self.pos
            key = self._object_key("one of IDENTIFIER, STRING('\"');")
            self._sp()
            self._expect("=")
            self._sp()
            self.file.metadata.append((key, self._node_value(), key_pos))
            self._br()

    def _shape_section(self) -> None:
        if self.pos >= self.end:
            return
        if not self._keyword("namespace"):
            self._expected("a namespace definition")
        self.pos += len("namespace")
        self._require_sp()
        self.file.namespace = self._namespace()
        self._br()
        while self._keyword("use"):
            self._use_statement()
        while self.pos < self.end:
            self._shape_or_apply_statement()
            self._br()

    def _use_statement(self) -> None:
        self.pos += len("use")
        self._require_sp()
        start = self.pos
        self._namespace()
        self._expect("#")
        name = self._identifier()
        if self._char() == "$":
            self._fail(self.pos, "Use statements cannot import members")
        shape_id = self.text[start : self.pos]
        previous = self.file.uses.get(name)
        if previous is not None and previous != shape_id:
            self._fail(
                start,
                f"Cannot use name `{shape_id}` because it conflicts with `{previous}`",
            )
        self.file.uses[name] = shape_id
        self._br()

    # ------------------------------------------------------------------
    # shapes

    def _trait_statements(self) -> list[TraitUse]:
        traits = []
        while self._char() == "@":
            traits.append(self._trait())
            self._ws()
        return traits

    def _trait(self) -> TraitUse:
        """Trait: "@" ShapeId [TraitBody]."""
        self.pos += 1
        ref = self._shape_id()
        if self._char() != "(":
            return TraitUse(ref, NO_VALUE)
        self.pos += 1
        self._ws()
        return TraitUse(ref, self._trait_body())

    def _trait_body(self) -> Any:
        """The inside of ``( ... )``: nothing, a TraitStructure or a TraitNode."""
        char = self._char()
        if char == ")":
            self.pos += 1
            return NO_VALUE
        start = self.pos
        value = self._node_value()
        value_end = self.pos
        self._ws()
        after = self._char()
        # A quoted string followed by ":", or a bare identifier not closed by
        # ")", starts a TraitStructure: key-value pairs without braces.
        quoted = char == '"' and not self.text.startswith('"""', start)
        if (quoted and after == ":") or (
            char in IDENT_START
            and after != ")"
            and IDENT_RE.fullmatch(self.text, start, value_end) is not None
        ):
            self.pos = start
            values: dict[str, Any] = {}
            while self._char() != ")":
                self._object_entry(
                    values, "one of RPAREN(')'), STRING('\"'), IDENTIFIER;"
                )
                self._ws()
            self.pos += 1
            return values
        self._expect(")")
        return value

    def _shape_or_apply_statement(self) -> None:
        docs = self._take_docs()
        start = self.pos
        traits = self._trait_statements()
        if self._keyword("apply"):
            if traits:
                self._fail(self.pos, "Traits applied to apply statement")
            self._apply_statement()
            return
        if docs is not None:
            traits.insert(0, TraitUse(Ref(DOCUMENTATION, start), docs))
        type_pos = self.pos
        shape_type = self._identifier()
        if shape_type in _SIMPLE_TYPES:
            self._simple_shape(shape_type, traits)
        elif shape_type in _AGGREGATE_TYPES:
            if shape_type == "set" and self.file.major_version >= 2:
                self._fail(type_pos, "set shapes cannot be used in Smithy version 2.0")
            self._aggregate_shape(shape_type, traits)
        elif shape_type in ("enum", "intEnum"):
            if self.file.major_version < 2:
                self._fail(
                    type_pos,
                    f"{shape_type} shapes cannot be used in Smithy version 1.0",
                )
            self._enum_shape(shape_type, traits)
        elif shape_type in ("service", "resource"):
            self._entity_shape(shape_type, traits)
        elif shape_type == "operation":
            self._operation_shape(traits)
        else:
            self._fail(type_pos, f"Unknown shape type: {shape_type}")

    def _shape_name(self) -> tuple[str, int]:
        self._require_sp()
        pos = self.pos
        name = self._identifier()
        imported = self.file.uses.get(name)
        if imported is not None:
            self._fail(
                pos, f"Shape name `{name}` conflicts with imported shape `{imported}`"
            )
        return f"{self.file.namespace}#{name}", pos

    def _add_shape(self, shape: ShapeDef) -> ShapeDef:
        if shape.shape_id in self._defined:
            self._fail(shape.pos, f"Shape `{shape.shape_id}` is defined more than once")
        self._defined.add(shape.shape_id)
        self.file.shapes.append(shape)
        return shape

    def _mixins(self, shape: ShapeDef) -> None:
        """[SP] "with" [WS] "[" [WS] 1*(ShapeId [WS]) "]", when present."""
        pos = SP_RE.match(self.text, self.pos).end()  # type: ignore[union-attr]
        if not self._keyword("with", pos):
            return
        if self.file.major_version < 2:
            self._fail(
                pos,
                "Mixins can only be used with Smithy version 2 or later. "
                f"Attempted to use mixins with version `{self.file.version}`.",
            )
        self.pos = pos + len("with")
        self._ws()
        self._expect("[")
        self._ws()
        shape.mixins.append(self._shape_id())
        self._ws()
        while self._char() != "]":
            shape.mixins.append(self._shape_id())
            self._ws()
        self.pos += 1

    def _simple_shape(self, shape_type: str, traits: list[TraitUse]) -> None:
        shape_id, pos = self._shape_name()
        self._mixins(self._add_shape(ShapeDef(shape_id, shape_type, pos, traits)))

    def _aggregate_shape(self, shape_type: str, traits: list[TraitUse]) -> None:
        shape_id, pos = self._shape_name()
        shape = self._add_shape(ShapeDef(shape_id, shape_type, pos, traits))
        self._for_resource(shape)
        self._mixins(shape)
        self._ws()
        self._shape_members(shape)

    def _for_resource(self, shape: ShapeDef) -> None:
        pos = SP_RE.match(self.text, self.pos).end()  # type: ignore[union-attr]
        if self._keyword("for", pos):
            if self.file.major_version < 2:
                self._fail(
                    pos,
                    "Binding a structure to a resource with `for` requires IDL version 2 or later",
                )
            self.pos = pos + len("for")
            self._require_sp()
            shape.resource = self._shape_id()

    def _shape_members(self, shape: ShapeDef) -> None:
        """ShapeMembers: "{" [WS] *(ShapeMember [WS]) "}"."""
        self._expect("{")
        self._ws()
        while self._char() != "}":
            if self.pos >= self.end:
                self._expected(EXPECTED_NAMES["}"])
            self._shape_member(shape)
            self._ws()
        self.pos += 1

    def _shape_member(self, shape: ShapeDef) -> None:
        docs = self._take_docs()
        start = self.pos
        traits = self._trait_statements()
        if docs is not None:
            traits.insert(0, TraitUse(Ref(DOCUMENTATION, start), docs))
        target: Ref | None
        if self._char() == "$":
            if self.file.major_version < 2:
                self._fail(
                    self.pos, "Members can only elide targets in IDL version 2 or later"
                )
            self.pos += 1
            name_pos = self.pos
            name = self._identifier()
            target = None
        else:
            name_pos = self.pos
            name = self._identifier()
            self._sp()
            self._expect(":")
            self._sp()
            target = self._shape_id()
        self._add_member(shape, MemberDef(name, target, traits, name_pos))
        self._value_assignment(traits, DEFAULT, "@default")

    def _add_member(self, shape: ShapeDef, member: MemberDef) -> None:
        # Member names must differ case-insensitively (model.rst, "Shape ID
        # conflicts"); the folded names of the shape being parsed are kept.
        if self._members_of is not shape:
            self._members_of = shape
            self._folded_members = {name.lower() for name in shape.members}
        folded = member.name.lower()
        if folded in self._folded_members:
            self._fail(member.pos, f"Found conflicting member name, `{member.name}`")
        self._folded_members.add(folded)
        shape.members[member.name] = member

    def _value_assignment(self, traits: list[TraitUse], trait: str, what: str) -> None:
        """ValueAssignment: [SP] "=" [SP] NodeValue [SP] [Comma] BR."""
        pos = SP_RE.match(self.text, self.pos).end()  # type: ignore[union-attr]
        if not self.text.startswith("=", pos):
            return
        if self.file.major_version < 2:
            self._fail(
                pos, f"{what} assignment is only supported in IDL version 2 or later"
            )
        self.pos = pos + 1
        self._sp()
        traits.append(TraitUse(Ref(trait, pos), self._node_value()))
        self._sp()
        if self._char() == ",":
            self.pos += 1
        self._br()

    def _enum_shape(self, shape_type: str, traits: list[TraitUse]) -> None:
        shape_id, pos = self._shape_name()
        shape = self._add_shape(ShapeDef(shape_id, shape_type, pos, traits))
        self._mixins(shape)
        self._ws()
        self._expect("{")
        self._ws()
        while self._char() != "}":
            if self.pos >= self.end:
                self._expected(EXPECTED_NAMES["}"])
            docs = self._take_docs()
            start = self.pos
            member_traits = self._trait_statements()
            if docs is not None:
                member_traits.insert(0, TraitUse(Ref(DOCUMENTATION, start), docs))
            name_pos = self.pos
            name = self._identifier()
            self._add_member(
                shape,
                MemberDef(
                    name, Ref("smithy.api#Unit", name_pos), member_traits, name_pos
                ),
            )
            self._value_assignment(member_traits, ENUM_VALUE, "Enum value")
            self._ws()
        self.pos += 1

    def _entity_shape(self, shape_type: str, traits: list[TraitUse]) -> None:
        shape_id, pos = self._shape_name()
        shape = self._add_shape(ShapeDef(shape_id, shape_type, pos, traits))
        self._mixins(shape)
        self._ws()
        if self._char() != "{":
            self._expected(EXPECTED_NAMES["{"])
        body_pos = self.pos
        shape.properties = self._node_object()
        if (
            shape_type == "resource"
            and "properties" in shape.properties
            and self.file.major_version < 2
        ):
            self._fail(
                body_pos,
                "Resource properties can only be used with Smithy version 2 or later.",
            )

    def _operation_shape(self, traits: list[TraitUse]) -> None:
        shape_id, pos = self._shape_name()
        shape = self._add_shape(ShapeDef(shape_id, "operation", pos, traits))
        self._mixins(shape)
        self._ws()
        self._expect("{")
        self._ws()
        while self._char() != "}":
            name_pos = self.pos
            if self._char() == '"' and self.file.major_version < 2:
                # IDL 1.0 wrote the operation body as a node object.
                name = self._quoted_text()
            else:
                name = self._identifier()
            if name in shape.properties:
                self._fail(name_pos, f"Duplicate operation property `{name}`")
            if name in ("input", "output"):
                self._ws()
                shape.properties[name] = self._operation_io(shape, name)
            elif name == "errors":
                self._ws()
                self._expect(":")
                self._ws()
                self._expect("[")
                self._ws()
                errors = []
                while self._char() != "]":
                    errors.append(self._shape_id())
                    self._ws()
                self.pos += 1
                shape.properties[name] = errors
            else:
                self._fail(
                    name_pos,
                    f"Expected one of `input`, `output`, `errors`; but found `{name}`",
                )
            before = self.pos
            self._ws()
            if self.pos == before and self._char() != "}":
                self._fail(
                    self.pos,
                    "Expected one or more whitespace characters, but found "
                    + describe_token(self.text, self.pos),
                )
        self.pos += 1

    def _operation_io(self, operation: ShapeDef, name: str) -> Ref:
        """OperationInput/Output: ":" ShapeId, or ":=" and an inline structure."""
        if not self.text.startswith(":=", self.pos):
            self._expect(":")
            self._ws()
            return self._shape_id()
        walrus = self.pos
        if self.file.major_version < 2:
            self._fail(
                walrus,
                "Inline operation input and output require IDL version 2 or later",
            )
        self.pos += 2
        self._ws()
        docs = self._take_docs()
        start = self.pos
        traits = self._trait_statements()
        if docs is not None:
            traits.insert(0, TraitUse(Ref(DOCUMENTATION, start), docs))
        suffix = self.input_suffix if name == "input" else self.output_suffix
        traits.append(TraitUse(Ref(INPUT if name == "input" else OUTPUT, walrus), {}))
        shape_id = operation.shape_id + suffix
        structure = self._add_shape(ShapeDef(shape_id, "structure", walrus, traits))
        self._for_resource(structure)
        self._mixins(structure)
        self._ws()
        self._shape_members(structure)
        return Ref(shape_id, walrus)

    def _apply_statement(self) -> None:
        """ApplyStatement: "apply" SP ShapeId WS (Trait / "{" TraitStatements "}")."""
        self.pos += len("apply")
        self._require_sp()
        target = self._shape_id()
        self._ws()
        if self._char() == "@":
            traits = [self._trait()]
        elif self._char() == "{":
            self.pos += 1
            self._ws()
            traits = self._trait_statements()
            self._expect("}")
        else:
            self._expected("one of AT('@'), LBRACE('{');")
        self.file.applies.append(ApplyDef(target, traits))


def parse_idl(text: str, filename: str) -> ParsedFile:
    """Parse one IDL document; raises ``ParseError`` on the first syntax error."""
    return IdlParser(text, filename).parse()
