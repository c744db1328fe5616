"""The JSON AST -> IDL writer on small models, compared as exact IDL text."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from smithygen.errors import CodegenError
from smithygen.idl.writer import IdlWriteError, write_idl


def idl(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def one(shapes: dict[str, Any], **extra: Any) -> str:
    documents = write_idl({"smithy": "2.0", "shapes": shapes, **extra})
    assert len(documents) == 1
    return next(iter(documents.values()))


def test_structure_docs_constraints_and_default_sugar() -> None:
    shapes = {
        "ex.ns#Widget": {
            "type": "structure",
            "members": {
                "name": {
                    "target": "ex.ns#Name",
                    "traits": {
                        "smithy.api#documentation": "The name.\n\n  Indented line.",
                        "smithy.api#required": {},
                    },
                },
                "count": {
                    "target": "smithy.api#Integer",
                    "traits": {"smithy.api#default": 0},
                },
                "tags": {"target": "ex.ns#Tags", "traits": {"smithy.api#default": []}},
            },
            "traits": {"smithy.api#documentation": "A widget."},
        },
        "ex.ns#Name": {
            "type": "string",
            "traits": {
                "smithy.api#length": {"min": 1, "max": 64},
                "smithy.api#pattern": "^[a-z\\-]+$",
            },
        },
        "ex.ns#Tags": {"type": "list", "member": {"target": "smithy.api#String"}},
    }
    assert one(shapes) == idl(
        r"""
        $version: "2"

        namespace ex.ns

        /// A widget.
        structure Widget {
            /// The name.
            ///
            ///   Indented line.
            @required
            name: Name

            count: Integer = 0

            tags: Tags = []
        }

        @length(min: 1, max: 64)
        @pattern("^[a-z\\-]+$")
        string Name

        list Tags {
            member: String
        }
        """
    )


def test_members_without_traits_are_not_spaced_and_empty_structure() -> None:
    shapes = {
        "ex.ns#Pair": {
            "type": "map",
            "key": {"target": "smithy.api#String"},
            "value": {"target": "smithy.api#Timestamp"},
        },
        "ex.ns#Empty": {"type": "structure", "members": {}},
        "ex.ns#Choice": {
            "type": "union",
            "members": {
                "a": {"target": "smithy.api#String"},
                "b": {"target": "smithy.api#Blob"},
            },
        },
    }
    assert one(shapes) == idl(
        """
        $version: "2"

        namespace ex.ns

        map Pair {
            key: String
            value: Timestamp
        }

        structure Empty {}

        union Choice {
            a: String
            b: Blob
        }
        """
    )


def test_enum_values_folded_only_where_the_loader_would_not_synthesise_them() -> None:
    # idl.rst "Enum shapes": a member without a value gets its name as value;
    # a member redeclared from a mixin inherits the mixin's value instead.
    unit = "smithy.api#Unit"
    shapes = {
        "ex.ns#Status": {
            "type": "enum",
            "members": {
                "IN_PROGRESS": {
                    "target": unit,
                    "traits": {"smithy.api#enumValue": "InProgress"},
                },
                "Complete": {
                    "target": unit,
                    "traits": {
                        "smithy.api#enumValue": "Complete",
                        "smithy.api#documentation": "Done.",
                    },
                },
            },
        },
        "ex.ns#Level": {
            "type": "intEnum",
            "members": {
                "LOW": {"target": unit, "traits": {"smithy.api#enumValue": 1}},
                "HIGH": {"target": unit, "traits": {"smithy.api#enumValue": 10}},
            },
        },
        "ex.ns#Base": {
            "type": "enum",
            "members": {"A": {"target": unit, "traits": {"smithy.api#enumValue": "A"}}},
            "traits": {"smithy.api#mixin": {}},
        },
        "ex.ns#Mixed": {
            "type": "enum",
            "mixins": [{"target": "ex.ns#Base"}],
            "members": {"A": {"target": unit, "traits": {"smithy.api#enumValue": "A"}}},
        },
    }
    assert one(shapes) == idl(
        """
        $version: "2"

        namespace ex.ns

        enum Status {
            IN_PROGRESS = "InProgress"

            /// Done.
            Complete
        }

        intEnum Level {
            LOW = 1
            HIGH = 10
        }

        @mixin
        enum Base {
            A
        }

        enum Mixed with [Base] {
            A = "A"
        }
        """
    )


def _operation_model(input_name: str, output_name: str) -> dict[str, Any]:
    return {
        "ex.ns#GetThing": {
            "type": "operation",
            "input": {"target": f"ex.ns#{input_name}"},
            "output": {"target": f"ex.ns#{output_name}"},
            "errors": [{"target": "ex.ns#Oops"}],
        },
        f"ex.ns#{input_name}": {
            "type": "structure",
            "members": {
                "id": {
                    "target": "smithy.api#String",
                    "traits": {"smithy.api#required": {}},
                }
            },
            "traits": {"smithy.api#input": {}},
        },
        f"ex.ns#{output_name}": {
            "type": "structure",
            "members": {"size": {"target": "smithy.api#Long"}},
            "traits": {"smithy.api#output": {}, "smithy.api#documentation": "Result."},
        },
        "ex.ns#Oops": {
            "type": "structure",
            "members": {},
            "traits": {"smithy.api#error": "client"},
        },
    }


def test_inline_input_output_with_default_suffixes() -> None:
    assert one(_operation_model("GetThingInput", "GetThingOutput")) == idl(
        """
        $version: "2"

        namespace ex.ns

        operation GetThing {
            input := {
                @required
                id: String
            }

            output :=
                /// Result.
                {
                    size: Long
                }

            errors: [Oops]
        }

        @error("client")
        structure Oops {}
        """
    )


def test_inline_with_the_models_own_suffixes_uses_control_statements() -> None:
    text = one(_operation_model("GetThingRequest", "GetThingResult"))
    assert text.startswith(
        '$version: "2"\n'
        '$operationInputSuffix: "Request"\n'
        '$operationOutputSuffix: "Result"\n\n'
    )
    assert "input := {" in text and "output :=" in text
    assert "GetThingRequest" not in text and "GetThingResult" not in text


def test_shared_or_unmarked_input_is_not_inlined() -> None:
    shapes = _operation_model("GetThingInput", "GetThingOutput")
    # Used by a member too: inlining would leave that reference dangling.
    shapes["ex.ns#Holder"] = {
        "type": "structure",
        "members": {"copy": {"target": "ex.ns#GetThingInput"}},
    }
    del shapes["ex.ns#GetThingOutput"]["traits"]["smithy.api#output"]
    text = one(shapes)
    assert "    input: GetThingInput\n" in text
    assert "    output: GetThingOutput\n" in text
    assert "@input\nstructure GetThingInput {" in text
    assert "/// Result.\nstructure GetThingOutput {" in text


def test_use_statements_and_shape_id_resolution() -> None:
    # idl.rst "Relative shape ID resolution": use, then namespace, then prelude.
    shapes = {
        "ex.ns#String": {"type": "string"},
        "ex.ns#Thing": {
            "type": "structure",
            "members": {
                "local": {"target": "ex.ns#String"},
                "prelude": {"target": "smithy.api#String"},
                "imported": {"target": "other.ns#Widget"},
                "clash1": {"target": "a.ns#Item"},
                "clash2": {"target": "b.ns#Item"},
                "shadowed": {"target": "other.ns#Integer"},
                "undefinedLocal": {"target": "ex.ns#Missing"},
                "undefinedPreludeName": {"target": "ex.ns#Long"},
            },
            "traits": {
                "aws.protocols#awsJson1_1": {},
                "other.ns#marker": {},
                "smithy.api#sensitive": {},
            },
        },
    }
    assert one(shapes) == idl(
        """
        $version: "2"

        namespace ex.ns

        use aws.protocols#awsJson1_1
        use other.ns#Widget
        use other.ns#marker

        string String

        @awsJson1_1
        @marker({})
        @sensitive
        structure Thing {
            local: String
            prelude: smithy.api#String
            imported: Widget
            clash1: a.ns#Item
            clash2: b.ns#Item
            shadowed: other.ns#Integer
            undefinedLocal: Missing
            undefinedPreludeName: ex.ns#Long
        }
        """
    )


def test_strings_are_escaped_and_multiline_ones_become_text_blocks() -> None:
    shapes = {
        "ex.ns#S": {
            "type": "string",
            "traits": {
                "ex.ns#note": {
                    "quoted": 'say "hi" \\ \t\x01\u2028',
                    "block": 'line one\n  "two"\n\n"""x""""\\end',
                    "trailingSpace": "a \nb",
                    "endsWithNewline": "a\nb\n",
                    "true": None,
                    "not-identifier": [1, -2.5, 1e-07, True, False],
                }
            },
        }
    }
    assert one(shapes) == idl(
        r'''
        $version: "2"

        namespace ex.ns

        @note(
            quoted: "say \"hi\" \\ \t\u0001\u2028"
            block: """
                line one
                  "two"

                \"\"\"x\"\"\"\"\\end\
                """
            trailingSpace: "a \nb"
            endsWithNewline: """
                a
                b
                """
            "true": null
            "not-identifier": [1, -2.5, 1e-07, true, false]
        )
        string S
        '''
    )


def test_documentation_that_cannot_be_a_doc_comment_stays_a_trait() -> None:
    shapes = {
        "ex.ns#S": {"type": "string", "traits": {"smithy.api#documentation": "a\rb"}},
        "ex.ns#E": {"type": "string", "traits": {"smithy.api#documentation": ""}},
    }
    assert one(shapes) == idl(
        r"""
        $version: "2"

        namespace ex.ns

        @documentation("a\rb")
        string S

        @documentation("")
        string E
        """
    )


def test_apply_statements_and_mixins() -> None:
    shapes = {
        "ex.ns#Base": {
            "type": "structure",
            "members": {"id": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#mixin": {}},
        },
        "ex.ns#User": {
            "type": "structure",
            "mixins": [{"target": "ex.ns#Base"}],
            "members": {"name": {"target": "smithy.api#String"}},
        },
        "ex.ns#User$id": {
            "type": "apply",
            "traits": {"smithy.api#documentation": "The id."},
        },
        "ex.ns#User$name": {
            "type": "apply",
            "traits": {"smithy.api#required": {}, "smithy.api#length": {"min": 1}},
        },
        "ex.ns#Base$id": {"type": "apply", "traits": {}},
    }
    assert one(shapes) == idl(
        """
        $version: "2"

        namespace ex.ns

        @mixin
        structure Base {
            id: String
        }

        structure User with [Base] {
            name: String
        }

        apply User$id @documentation("The id.")

        apply User$name {
            @required
            @length(min: 1)
        }

        apply Base$id {}
        """
    )


def test_service_resource_and_metadata_in_the_first_document_only() -> None:
    ast = {
        "smithy": "2.0",
        "metadata": {"suppressions": [{"id": "X", "namespace": "*"}], "a.b": "c"},
        "shapes": {
            "ex.ns#Svc": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": "ex.ns#Ping"}],
                "resources": [{"target": "ex.ns#Res"}],
                "errors": [{"target": "other.ns#Boom"}],
                "rename": {"other.ns#Boom": "OtherBoom"},
            },
            "ex.ns#Ping": {"type": "operation"},
            "ex.ns#Res": {
                "type": "resource",
                "identifiers": {"resId": {"target": "smithy.api#String"}},
                "read": {"target": "ex.ns#Ping"},
            },
            "other.ns#Boom": {
                "type": "structure",
                "traits": {"smithy.api#error": "server"},
            },
        },
    }
    documents = write_idl(ast)
    assert list(documents) == ["ex.ns", "other.ns"]
    assert documents["ex.ns"] == idl(
        """
        $version: "2"

        metadata suppressions = [{id: "X", namespace: "*"}]
        metadata "a.b" = "c"

        namespace ex.ns

        use other.ns#Boom

        service Svc {
            version: "2024-01-01"
            operations: [Ping]
            resources: [Res]
            errors: [Boom]
            rename: {"other.ns#Boom": "OtherBoom"}
        }

        operation Ping {}

        resource Res {
            identifiers: {resId: String}
            read: Ping
        }
        """
    )
    assert documents["other.ns"] == idl(
        """
        $version: "2"

        namespace other.ns

        @error("server")
        structure Boom {}
        """
    )


def test_long_lists_and_objects_break_over_lines() -> None:
    names = [f"Operation{i:02d}WithALongName" for i in range(6)]
    shapes: dict[str, Any] = {
        "ex.ns#Svc": {
            "type": "service",
            "operations": [{"target": f"ex.ns#{n}"} for n in names],
        }
    }
    shapes.update({f"ex.ns#{n}": {"type": "operation"} for n in names})
    text = one(shapes)
    expected_list = "".join(f"        {n}\n" for n in names)
    assert f"service Svc {{\n    operations: [\n{expected_list}    ]\n}}\n" in text


@pytest.mark.parametrize(
    ("ast", "message"),
    [
        ([], "must be an object"),
        ({"shapes": {"nonamespace": {"type": "string"}}}, "not an absolute shape id"),
        ({"shapes": {"a#B": {"type": "set", "member": {"target": "a#C"}}}}, "'set'"),
        ({"shapes": {"a#B": {"members": {}}}}, "with a type"),
        ({"shapes": {"a#B": ["string"]}}, "with a type"),
        ({"shapes": {"a#B": {"type": "string", "traits": []}}}, "traits must be"),
        ({"shapes": {"a#B": {"type": "structure", "members": []}}}, "members must"),
        ({"shapes": {"a#B": {"type": "service", "color": "red"}}}, "'color'"),
        ({"shapes": {"a#B": {"type": "list", "member": "a#C"}}}, "expected {'target'"),
        (
            {"shapes": {"a#B": {"type": "string", "traits": {"a#t": float("nan")}}}},
            "not a Smithy number",
        ),
        (
            {"shapes": {"a#E": {"type": "enum", "members": {"X": {"target": "a#S"}}}}},
            "must target smithy.api#Unit",
        ),
    ],
)
def test_bad_input_raises_a_clear_typed_error(ast: Any, message: str) -> None:
    with pytest.raises(IdlWriteError, match=None) as caught:
        write_idl(ast)
    assert isinstance(caught.value, CodegenError)
    assert message in str(caught.value)


MIXED_INLINE_IO: dict[str, Any] = {
    "ex.ns#Base": {
        "type": "structure",
        "members": {"id": {"target": "smithy.api#String"}},
        "traits": {"smithy.api#mixin": {}},
    },
    "ex.ns#Op": {
        "type": "operation",
        "input": {"target": "ex.ns#OpInput"},
        "output": {"target": "ex.ns#OpOutput"},
    },
    "ex.ns#OpInput": {
        "type": "structure",
        "mixins": [{"target": "ex.ns#Base"}],
        "members": {"x": {"target": "smithy.api#Integer"}},
        "traits": {
            "smithy.api#input": {},
            "smithy.api#documentation": "doc",
            "smithy.api#sensitive": {},
        },
    },
    "ex.ns#OpOutput": {
        "type": "structure",
        "mixins": [{"target": "ex.ns#Base"}],
        "members": {},
        "traits": {"smithy.api#output": {}},
    },
}


def test_inline_structures_with_traits_and_mixins() -> None:
    # idl.rst "Inline input / output shapes": traits and mixins go after ':='.
    assert one(MIXED_INLINE_IO) == idl(
        """
        $version: "2"

        namespace ex.ns

        @mixin
        structure Base {
            id: String
        }

        operation Op {
            input :=
                /// doc
                @sensitive
                with [Base] {
                    x: Integer
                }

            output := with [Base] {}
        }
        """
    )
