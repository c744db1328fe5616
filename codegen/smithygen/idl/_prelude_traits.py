"""The definitions of the prelude's traits, for checking trait values.

Written from the trait descriptions of the Smithy 2.0 specification (model.rst,
constraint-traits.rst, documentation-traits.rst, type-refinement-traits.rst,
behavior-traits.rst, http-bindings.rst, protocol-traits.rst,
endpoint-traits.rst, streaming.rst, aws-auth.rst): each trait's value type,
members, required members, enum values and constraints. Where the
specification leaves a value open (``examples`` payloads, ``enumValue``,
``default``) the definition is a document, which accepts anything. Loaded
once, with this package's own IDL loader, on first use.
"""

from __future__ import annotations

from typing import Any

PRELUDE_TRAITS_IDL = """$version: "2"

namespace smithy.api

// --- model.rst ---------------------------------------------------------------

structure trait {
    selector: String
    conflicts: TraitIdList
    structurallyExclusive: StructurallyExclusive
    breakingChanges: Document
}

enum StructurallyExclusive {
    MEMBER = "member"
    TARGET = "target"
}

list TraitIdList {
    @idRef(failWhenMissing: true, selector: "[trait|trait]")
    member: String
}

list suppress {
    member: NonEmptyString
}

// --- constraint-traits.rst -------------------------------------------------------

structure length {
    @range(min: 0)
    min: Long

    @range(min: 0)
    max: Long
}

structure range {
    min: BigDecimal
    max: BigDecimal
}

string pattern

structure uniqueItems {}

structure private {}

structure idRef {
    failWhenMissing: Boolean
    selector: String
    errorMessage: String
}

@length(min: 1)
list enum {
    member: EnumDefinition
}

structure EnumDefinition {
    @required
    value: NonEmptyString

    @pattern("^[a-zA-Z_]+[a-zA-Z_0-9]*$")
    name: String

    documentation: String
    tags: NonEmptyStringList
    deprecated: Boolean
}

// --- type-refinement-traits.rst --------------------------------------------------

document default

document enumValue

structure addedDefault {}

structure required {}

structure clientOptional {}

structure box {}

structure sparse {}

structure input {}

structure output {}

structure unitType {}

enum error {
    CLIENT = "client"
    SERVER = "server"
}

structure mixin {
    localTraits: TraitIdList
}

// --- documentation-traits.rst ----------------------------------------------------

string documentation

@length(min: 1)
map externalDocumentation {
    key: NonEmptyString
    value: NonEmptyString
}

structure deprecated {
    message: String
    since: String
}

structure internal {}

structure recommended {
    reason: String
}

structure sensitive {}

string since

list tags {
    member: String
}

string title

structure unstable {}

list examples {
    member: Example
}

structure Example {
    @required
    title: String

    documentation: String
    input: Document
    output: Document
    error: ExampleError
    allowConstraintErrors: Boolean
}

structure ExampleError {
    @idRef(failWhenMissing: true, selector: "structure[trait|error]")
    shapeId: String

    content: Document
}

// --- behavior-traits.rst ---------------------------------------------------------

structure idempotencyToken {}

structure idempotent {}

structure readonly {}

structure retryable {
    throttling: Boolean
}

structure paginated {
    inputToken: NonEmptyString
    outputToken: NonEmptyString
    items: NonEmptyString
    pageSize: NonEmptyString
}

structure requestCompression {
    @required
    encodings: NonEmptyStringList
}

structure noReplace {}

structure nestedProperties {}

structure notProperty {}

structure property {
    name: String
}

list references {
    member: Reference
}

structure Reference {
    @required
    @idRef(failWhenMissing: true, selector: "resource")
    resource: String

    ids: NonEmptyStringMap

    @idRef(failWhenMissing: true, selector: "service")
    service: String

    rel: String
}

string resourceIdentifier

// --- http-bindings.rst -----------------------------------------------------------

structure http {
    @required
    method: NonEmptyString

    @required
    uri: NonEmptyString

    @range(min: 100, max: 999)
    code: Integer
}

@range(min: 200, max: 599)
integer httpError

@length(min: 1)
string httpHeader

@length(min: 1)
string httpQuery

string httpPrefixHeaders

structure httpLabel {}

structure httpPayload {}

structure httpQueryParams {}

structure httpResponseCode {}

structure httpChecksumRequired {}

structure cors {
    origin: NonEmptyString
    maxAge: Integer
    additionalAllowedHeaders: NonEmptyStringList
    additionalExposedHeaders: NonEmptyStringList
}

// --- protocol-traits.rst ---------------------------------------------------------

structure protocolDefinition {
    traits: TraitIdList
    noInlineDocumentSupport: Boolean
}

structure authDefinition {
    traits: TraitIdList
}

list auth {
    @idRef(failWhenMissing: true, selector: "[trait|authDefinition]")
    member: String
}

structure optionalAuth {}

structure httpBasicAuth {}

structure httpDigestAuth {}

structure httpBearerAuth {}

structure httpApiKeyAuth {
    @required
    name: NonEmptyString

    @required
    in: HttpApiKeyLocations

    scheme: NonEmptyString
}

enum HttpApiKeyLocations {
    HEADER = "header"
    QUERY = "query"
}

string jsonName

string mediaType

enum timestampFormat {
    DATE_TIME = "date-time"
    EPOCH_SECONDS = "epoch-seconds"
    HTTP_DATE = "http-date"
}

@pattern("^[a-zA-Z_][a-zA-Z_0-9-]*(:[a-zA-Z_][a-zA-Z_0-9-]*)?$")
string xmlName

structure xmlAttribute {}

structure xmlFlattened {}

structure xmlNamespace {
    @required
    uri: NonEmptyString

    @pattern("^[a-zA-Z_][a-zA-Z_0-9-]*$")
    prefix: String
}

// --- endpoint-traits.rst, streaming.rst ------------------------------------------

structure endpoint {
    @required
    hostPrefix: NonEmptyString
}

structure hostLabel {}

structure streaming {}

structure requiresLength {}

structure eventHeader {}

structure eventPayload {}

// --- shared value shapes -----------------------------------------------------------

@length(min: 1)
string NonEmptyString

list NonEmptyStringList {
    member: NonEmptyString
}

map NonEmptyStringMap {
    key: NonEmptyString
    value: NonEmptyString
}
"""

_LOADED: dict[str, Any] | None = None


def prelude_trait_shapes() -> dict[str, Any]:
    """The JSON AST shapes of PRELUDE_TRAITS_IDL, loaded on first use."""
    global _LOADED
    if _LOADED is None:
        from smithygen.idl import load_text

        # While the definitions themselves load, there is nothing to check
        # their own trait values against: an empty table stands in.
        _LOADED = {}
        try:
            _LOADED = load_text(PRELUDE_TRAITS_IDL, "<prelude traits>")["shapes"]
        except BaseException:
            _LOADED = None  # never leave the stand-in: try again, fail again
            raise
    return _LOADED
