// A small awsJson1_0 service with protocol test cases of our own: the content
// type, X-Amz-Target, bodies of every shape kind, idempotency tokens, host
// prefixes and errors (aws-json-1_0 protocol page; http-protocol-compliance-tests).
$version: "2"

namespace example.json10

use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_0
use smithy.test#httpRequestTests
use smithy.test#httpResponseTests

@service(sdkId: "Json10 Demo")
@sigv4(name: "json10demo")
@awsJson1_0
service JsonRpc10Demo {
    version: "2024-01-01"
    operations: [Ping, PutThing, GetThing, StartJob, SendToCell, Configure, Report, Nest, Pick]
    errors: [ServiceUnavailable]
}

@httpRequestTests([
    {
        id: "Json10PingSendsEmptyObject"
        documentation: "An operation without input still sends a JSON object."
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        host: "example.com"
        resolvedHost: "example.com"
        headers: {
            "Content-Type": "application/x-amz-json-1.0"
            "X-Amz-Target": "JsonRpc10Demo.Ping"
        }
        requireHeaders: ["Authorization", "X-Amz-Date", "Content-Length"]
        forbidHeaders: ["X-Amz-Security-Token"]
        body: "{}"
        bodyMediaType: "application/json"
    }
])
@httpResponseTests([
    {
        id: "Json10PingAcceptsEmptyBody"
        protocol: awsJson1_0
        code: 200
        headers: { "Content-Type": "application/x-amz-json-1.0" }
        body: ""
    }
    {
        id: "Json10PingIgnoresUnexpectedMembers"
        protocol: awsJson1_0
        code: 200
        headers: { "Content-Type": "application/x-amz-json-1.0" }
        body: "{\"surprise\": [1, 2]}"
        bodyMediaType: "application/json"
    }
])
operation Ping {}

@httpRequestTests([
    {
        id: "Json10PutThingSerializesEveryKind"
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        headers: {
            "Content-Type": "application/x-amz-json-1.0"
            "X-Amz-Target": "JsonRpc10Demo.PutThing"
        }
        body: """
            {
                "Name": "widget",
                "Count": 3,
                "Ratio": 0.25,
                "Big": 123456789012345678901234567890,
                "Enabled": false,
                "Created": 1700000000,
                "Stamp": "2023-11-14T22:13:20Z",
                "Payload": "aGVsbG8=",
                "Color": "RED",
                "Level": 2,
                "Tags": ["a", "b"],
                "Sparse": ["x", null],
                "Labels": {"k": "v"},
                "Nested": {"Name": "inner", "Tags": [], "Mode": "fast"},
                "Choice": {"Number": 7},
                "Extra": {"any": [true, null, 1.5, "s"]},
                "Mode": "fast"
            }"""
        bodyMediaType: "application/json"
        params: {
            Name: "widget"
            Count: 3
            Ratio: 0.25
            Big: 123456789012345678901234567890
            Enabled: false
            Created: 1700000000
            Stamp: 1700000000
            Payload: "hello"
            Color: "RED"
            Level: 2
            Tags: ["a", "b"]
            Sparse: ["x", null]
            Labels: { k: "v" }
            Nested: { Name: "inner", Tags: [] }
            Choice: { Number: 7 }
            Extra: { any: [true, null, 1.5, "s"] }
        }
    }
    {
        id: "Json10PutThingSendsDefaultsAndSkipsNulls"
        documentation: "Required members with defaults are sent; absent optional ones are not."
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        body: "{\"Name\": \"only\", \"Mode\": \"fast\"}"
        bodyMediaType: "application/json"
        params: { Name: "only" }
    }
    {
        id: "Json10PutThingSendsUnicodeAndSpecialFloats"
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        body: "{\"Name\": \"h\u00e9llo \\\"q\\\" \u2603\", \"Ratio\": \"-Infinity\", \"Mode\": \"slow\"}"
        bodyMediaType: "application/json"
        params: { Name: "h\u00e9llo \"q\" \u2603", Ratio: "-Infinity", Mode: "slow" }
    }
])
@httpResponseTests([
    {
        id: "Json10PutThingParsesEveryKind"
        protocol: awsJson1_0
        code: 200
        headers: { "Content-Type": "application/x-amz-json-1.0" }
        body: """
            {
                "Name": "widget",
                "Count": 3,
                "Ratio": "NaN",
                "Big": 123456789012345678901234567890,
                "Enabled": true,
                "Created": 1700000000.5,
                "Stamp": "2023-11-14T22:13:20.500Z",
                "Payload": "aGVsbG8=",
                "Color": "BLUE",
                "Level": 1,
                "Tags": ["a"],
                "Sparse": [null, "y"],
                "Labels": {"k": "v"},
                "Nested": {"Name": "inner", "Mode": "fast"},
                "Choice": {"Text": "t"},
                "Extra": {"any": {"deep": [1, 2]}},
                "Mode": "slow"
            }"""
        bodyMediaType: "application/json"
        params: {
            Name: "widget"
            Count: 3
            Ratio: "NaN"
            Big: 123456789012345678901234567890
            Enabled: true
            Created: 1700000000.5
            Stamp: 1700000000.5
            Payload: "hello"
            Color: "BLUE"
            Level: 1
            Tags: ["a"]
            Sparse: [null, "y"]
            Labels: { k: "v" }
            Nested: { Name: "inner" }
            Choice: { Text: "t" }
            Extra: { any: { deep: [1, 2] } }
            Mode: "slow"
        }
    }
    {
        id: "Json10PutThingKeepsUnknownEnumValues"
        documentation: "Enums are open: a value the model does not know is kept."
        protocol: awsJson1_0
        code: 200
        body: "{\"Name\": \"n\", \"Color\": \"PURPLE\", \"Level\": 9, \"Mode\": \"fast\"}"
        bodyMediaType: "application/json"
        params: { Name: "n", Color: "PURPLE", Level: 9, Mode: "fast" }
    }
])
operation PutThing {
    input: Thing
    output: Thing
}

@httpRequestTests([
    {
        id: "Json10GetThingSendsItsTarget"
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        headers: { "X-Amz-Target": "JsonRpc10Demo.GetThing" }
        body: "{\"Name\": \"x\"}"
        bodyMediaType: "application/json"
        params: { Name: "x" }
    }
])
operation GetThing {
    input := {
        @required
        Name: String
    }
    output := {
        Thing: Thing
    }
    errors: [ThingNotFound, Throttled]
}

@httpRequestTests([
    {
        id: "Json10FillsIdempotencyToken"
        documentation: "An absent @idempotencyToken member is filled (with the spec's constant in tests)."
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        body: "{\"Job\": \"j\", \"Token\": \"00000000-0000-4000-8000-000000000000\"}"
        bodyMediaType: "application/json"
        params: { Job: "j" }
    }
    {
        id: "Json10KeepsGivenIdempotencyToken"
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        body: "{\"Job\": \"j\", \"Token\": \"mine\"}"
        bodyMediaType: "application/json"
        params: { Job: "j", Token: "mine" }
    }
])
operation StartJob {
    input := {
        @required
        Job: String

        @idempotencyToken
        Token: String
    }
}

@endpoint(hostPrefix: "{Cell}.cells.")
@httpRequestTests([
    {
        id: "Json10HostPrefixWithLabel"
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        host: "example.com"
        resolvedHost: "blue.cells.example.com"
        body: "{\"Cell\": \"blue\"}"
        bodyMediaType: "application/json"
        params: { Cell: "blue" }
    }
])
operation SendToCell {
    input := {
        @required
        @hostLabel
        Cell: String
    }
}

structure Thing {
    @required
    Name: String
    Count: Integer
    Ratio: Double
    Big: BigInteger
    Enabled: Boolean
    Created: Timestamp
    @timestampFormat("date-time")
    Stamp: Timestamp
    Payload: Blob
    Color: Color
    Level: Level
    Tags: TagList
    Sparse: SparseList
    Labels: LabelMap
    Nested: Thing
    Choice: Choice
    Extra: Document
    @required
    Mode: Mode = "fast"
}

enum Color {
    RED
    BLUE
}

intEnum Level {
    LOW = 1
    HIGH = 2
}

enum Mode {
    FAST = "fast"
    SLOW = "slow"
}

list TagList {
    member: String
}

@sparse
list SparseList {
    member: String
}

map LabelMap {
    key: String
    value: String
}

union Choice {
    Text: String
    Number: Integer
}

@error("client")
@httpResponseTests([
    {
        id: "Json10ErrorFromDunderTypeWithNamespace"
        protocol: awsJson1_0
        code: 400
        headers: { "Content-Type": "application/x-amz-json-1.0" }
        body: "{\"__type\": \"example.json10#ThingNotFound\", \"message\": \"no such thing\", \"Name\": \"x\"}"
        bodyMediaType: "application/json"
        params: { message: "no such thing", Name: "x" }
    }
    {
        id: "Json10ErrorTypeMemberWinsOverHeader"
        documentation: "__type is read first (as botocore reads it), then X-Amzn-Errortype; the ':' suffix is dropped."
        protocol: awsJson1_0
        code: 400
        headers: { "X-Amzn-Errortype": "Throttled" }
        body: "{\"__type\": \"ThingNotFound:http://internal.example/\", \"message\": \"m\"}"
        bodyMediaType: "application/json"
        params: { message: "m" }
    }
])
structure ThingNotFound {
    message: String
    Name: String
}

@error("server")
@retryable(throttling: true)
@httpResponseTests([
    {
        id: "Json10ErrorFromCodeMember"
        protocol: awsJson1_0
        code: 503
        body: "{\"code\": \"Throttled\", \"Message\": \"slow down\"}"
        bodyMediaType: "application/json"
        params: { Message: "slow down" }
    }
])
structure Throttled {
    Message: String
}

/// A service-wide error: every operation can return it.
@error("server")
@httpResponseTests([
    {
        id: "Json10ServiceErrorFromAnyOperation"
        protocol: awsJson1_0
        code: 500
        headers: { "X-Amzn-Errortype": "ServiceUnavailable" }
        body: "{}"
        bodyMediaType: "application/json"
    }
])
structure ServiceUnavailable {}

@httpRequestTests([
    {
        id: "Json10InputDefaultsAreNotSentUnlessGiven"
        documentation: """
            Clients treat every member of an @input structure as optional
            (aggregate-types.rst, "Structure member optionality"), so a default
            the caller did not give is not sent; the server applies it."""
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        body: "{}"
        bodyMediaType: "application/json"
        params: {}
        appliesTo: "client"
    }
    {
        id: "Json10InputDefaultsAreSentWhenGiven"
        documentation: "A value equal to the default is still sent when the caller gives it."
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        body: "{\"Level\": 5, \"Label\": \"n\"}"
        bodyMediaType: "application/json"
        params: { Level: 5, Label: "n" }
        appliesTo: "client"
    }
])
operation Configure {
    input := {
        Level: Integer = 5
        Label: String = "n"
    }
}

@httpResponseTests([
    {
        id: "Json10ClientErrorCorrectsMissingRequiredMembers"
        documentation: """
            A server that leaves required members out gets them filled with
            zero values (aggregate-types.rst, "Client error correction")."""
        protocol: awsJson1_0
        code: 200
        body: "{}"
        bodyMediaType: "application/json"
        params: {
            Text: ""
            Flag: false
            Number: 0
            Ratio: 0
            When: 0
            Data: ""
            Items: []
            Lookup: {}
            Inner: {}
        }
        appliesTo: "client"
    }
])
operation Report {
    output := {
        @required
        Text: String
        @required
        Flag: Boolean
        @required
        Number: Long
        @required
        Ratio: Float
        @required
        When: Timestamp
        @required
        Data: Blob
        @required
        Items: TagList
        @required
        Lookup: LabelMap
        @required
        Inner: Empty
    }
}

structure Empty {}

@httpRequestTests([
    {
        id: "Json10NestedDefaultsAreSent"
        documentation: """
            Below the top level, effective defaults are serialized
            (type-refinement-traits.rst, "Default value serialization"), except
            on @clientOptional members, which have no default for clients."""
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        body: """
            {
                "Settings": {"Size": 3, "Tags": [], "Shape": "round", "When": 0, "Bytes": "YWJj", "Doc": {"k": [1]}},
                "More": [{"Size": 1, "Tags": [], "Shape": "round", "When": 0, "Bytes": "YWJj", "Doc": {"k": [1]}}]
            }"""
        bodyMediaType: "application/json"
        params: {
            Settings: {}
            More: [{ Size: 1 }]
        }
    }
])
@httpResponseTests([
    {
        id: "Json10NestedDefaultsFillMissingResponseMembers"
        protocol: awsJson1_0
        code: 200
        body: "{\"Settings\": {\"Optional\": 7}}"
        bodyMediaType: "application/json"
        params: {
            Settings: { Size: 3, Tags: [], Shape: "round", When: 0, Bytes: "abc", Doc: { k: [1] }, Optional: 7 }
        }
    }
    {
        id: "Json10ResponseValuesWinOverDefaults"
        protocol: awsJson1_0
        code: 200
        body: "{\"Settings\": {\"Size\": 0, \"Tags\": [\"t\"], \"Shape\": \"flat\", \"When\": 1.5, \"Bytes\": \"\", \"Doc\": \"text\"}}"
        bodyMediaType: "application/json"
        params: {
            Settings: { Size: 0, Tags: ["t"], Shape: "flat", When: 1.5, Bytes: "", Doc: "text" }
        }
    }
])
operation Nest {
    input := {
        Settings: Settings
        More: SettingsList
    }
    output := {
        Settings: Settings
    }
}

structure Settings {
    Size: Integer = 3
    Tags: TagList = []
    Shape: Shape = "round"
    When: Timestamp = 0
    Bytes: Blob = "YWJj"
    Doc: Document = { k: [1] }
    @clientOptional
    Optional: Integer = 5
}

list SettingsList {
    member: Settings
}

enum Shape {
    ROUND = "round"
    FLAT = "flat"
}

@httpRequestTests([
    {
        id: "Json10UnitUnionMemberIsAnEmptyObject"
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        body: "{\"Choice\": {\"Nothing\": {}}}"
        bodyMediaType: "application/json"
        params: { Choice: { Nothing: {} } }
    }
])
@httpResponseTests([
    {
        id: "Json10UnionIgnoresDunderType"
        documentation: "A __type member inside a union value is not a variant."
        protocol: awsJson1_0
        code: 200
        body: "{\"Choice\": {\"__type\": \"example.json10#Pick\", \"Label\": \"x\"}}"
        bodyMediaType: "application/json"
        params: { Choice: { Label: "x" } }
        appliesTo: "client"
    }
    {
        id: "Json10UnitUnionMemberParses"
        protocol: awsJson1_0
        code: 200
        body: "{\"Choice\": {\"Nothing\": {}}}"
        bodyMediaType: "application/json"
        params: { Choice: { Nothing: {} } }
    }
])
operation Pick {
    input := {
        Choice: Picked
    }
    output := {
        Choice: Picked
    }
}

union Picked {
    Label: String
    Nothing: Unit
}
