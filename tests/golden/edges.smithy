$version: "2.0"

// Shapes that made, or could make, the generator emit invalid Python. The
// package generated from this file is pinned in tests/golden/edges/, and
// tests/golden/test_golden.py type-checks and imports it.
namespace example.edges

use aws.protocols#awsJson1_1

@awsJson1_1
service Edges {
    version: "1"
    operations: [Blank, CaseOnly, Keywords, Nothing, OnlyDeprecated, Upload, Watch]
    errors: [Empty]
}

// --- empty structures: a class needs a body even with nothing to hold --------

operation Nothing {
    input: NothingRequest
    output: NothingResponse
}

structure NothingRequest {}

structure NothingResponse {
    inner: Hollow
    other: example.other#hollow
    hollows: HollowList
    byName: HollowMap
}

structure Hollow {}

list HollowList {
    member: Hollow
}

map HollowMap {
    key: String
    value: Hollow
}

@error("client")
structure Empty {}

// Documentation that renders to no text at all (as in Database Migration
// Service and Kinesis Analytics): the fallback docstring must still be there.
operation Blank {
    input: BlankDocs
    errors: [BlankError]
}

/// <p></p>
structure BlankDocs {
    /// <p> </p>
    member: BlankEnum

    empty: BlankEmpty
}

/// <p></p>
structure BlankEmpty {}

@documentation("")
enum BlankEnum {
    /// <br/>
    A
}

@documentation("<p/>")
@error("server")
structure BlankError {}

// --- members that are all deprecated ------------------------------------------

operation OnlyDeprecated {
    input := {
        @deprecated
        old: String

        @deprecated(message: "use nothing")
        older: Integer
    }

    output := {
        @deprecated
        gone: Hollow
    }
}

// --- members that are all streaming: Upload's blob is left out (awsJson has no
// --- payload binding to carry it); Watch's event stream is generated ----------

operation Upload {
    input := {
        @required
        body: Stream
    }
}

@streaming
blob Stream

operation Watch {
    output := {
        events: Events
    }
}

@streaming
union Events {
    tick: Hollow
}

// --- names that collide with keywords, builtins and the generated code's own ---

operation Keywords {
    input: Decimal
    output: datetime
}

structure Decimal {
    from: String
    import: Integer
    None: Boolean
    True: String
    lambda: String
    datetime: Timestamp
    Decimal: BigDecimal
    attrs: String
    models: String
    list: StringList
    type: String
    id: String
    self: String
    UTC: String
    Document: Document
    TypeAlias: String
    annotations: String
    client: String
}

structure datetime {
    print: String
    str: String
    int: Integer
    bytes: Blob
    attrs: Attrs
    enum: StrEnum
    any: Any
}

structure Attrs {}

enum StrEnum {
    name
    value
    None
    True
    mro
}

intEnum Any {
    ONE = 1
    One_ = 2
}

list StringList {
    member: String
}

// --- names that differ only by case or underscores once in snake_case ----------
// Smithy rejects members (and shape ids) that differ only by case (model.rst,
// "Shape ID conflicts"); tests/codegen/test_edge_names.py checks that such a
// model fails with a clear error. What remains legal are names that meet only
// once converted: fooBar / foo_bar / foo_bar_, and shapes of two namespaces
// (example.edges#Hollow and example.other#hollow, from edges-other.smithy).

operation CaseOnly {
    input := {
        fooBar: String
        foo_bar_: String
        foo_bar: String
        FOO__BAR: Integer
    }

    output := {
        fooBar: String
        foo_Bar: String
        choice: Choice
    }
}

union Choice {
    unit: Unit
    Unit_: Integer
    unknown: String
}
