// An awsJson1_0 service migrated from awsQuery (@awsQueryCompatible), in the
// shape of the official awsJson1_0 suite's query-compatible service: an sdkId
// with spaces, a signing name with dashes, an error whose awsQuery code differs
// from its shape name (aws_protocols_aws-query-protocol.rst,
// "aws.protocols#awsQueryCompatible trait"). Its errors hold only a message,
// which once made errors.py import nothing from _serde (a syntax error).
$version: "2"

namespace example.json10query

use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_0
use aws.protocols#awsQueryCompatible
use aws.protocols#awsQueryError
use smithy.test#httpRequestTests
use smithy.test#httpResponseTests

@service(sdkId: "Query Compatible JSON RPC 10")
@sigv4(name: "query-compatible-jsonrpc10")
@awsJson1_0
@title("Query Compatible Json 1.0 Protocol Service")
@awsQueryCompatible
service QueryCompatibleJsonRpc10 {
    version: "2020-07-14"
    operations: [QueryCompatibleOperation]
}

@httpRequestTests([
    {
        id: "Json10QueryCompatibleSendsQueryModeHeader"
        documentation: "Clients of query-compatible services send x-amzn-query-mode: true."
        protocol: awsJson1_0
        method: "POST"
        uri: "/"
        headers: {
            "Content-Type": "application/x-amz-json-1.0"
            "X-Amz-Target": "QueryCompatibleJsonRpc10.QueryCompatibleOperation"
            "x-amzn-query-mode": "true"
        }
        body: "{}"
        bodyMediaType: "application/json"
    }
])
@idempotent
operation QueryCompatibleOperation {
    errors: [NoCustomCodeError, CustomCodeError, ServerSideError]
}

/// What vendorParams of the error cases hold: the error's expected `code`
/// and, when the header gives one, its awsQuery `type` (Sender / Receiver).
structure ErrorCodeParams {
    @required
    code: String

    type: String
}

@httpResponseTests([
    {
        id: "Json10QueryCompatibleNoCustomCodeError"
        documentation: "Without x-amzn-query-error the code is the shape name."
        protocol: awsJson1_0
        params: { message: "Hi" }
        code: 400
        headers: { "Content-Type": "application/x-amz-json-1.0" }
        body: "{\"__type\": \"example.json10query#NoCustomCodeError\", \"message\": \"Hi\"}"
        bodyMediaType: "application/json"
        vendorParamsShape: ErrorCodeParams
        vendorParams: { code: "NoCustomCodeError" }
    }
    {
        id: "Json10QueryCompatibleIgnoresMalformedQueryError"
        documentation: "A header that is not Code;Fault is ignored, as botocore does."
        protocol: awsJson1_0
        params: { message: "Hi" }
        code: 400
        headers: { "Content-Type": "application/x-amz-json-1.0", "x-amzn-query-error": "NoSeparator" }
        body: "{\"__type\": \"example.json10query#NoCustomCodeError\", \"message\": \"Hi\"}"
        bodyMediaType: "application/json"
        vendorParamsShape: ErrorCodeParams
        vendorParams: { code: "NoCustomCodeError" }
    }
])
@error("client")
structure NoCustomCodeError {
    message: String
}

@httpResponseTests([
    {
        id: "Json10QueryCompatibleCustomCodeError"
        documentation: "The code and fault come from x-amzn-query-error; the class from __type."
        protocol: awsJson1_0
        params: { message: "Hi" }
        code: 402
        headers: { "Content-Type": "application/x-amz-json-1.0", "x-amzn-query-error": "Customized;Sender" }
        body: "{\"__type\": \"example.json10query#CustomCodeError\", \"message\": \"Hi\"}"
        bodyMediaType: "application/json"
        vendorParamsShape: ErrorCodeParams
        vendorParams: { code: "Customized", type: "Sender" }
    }
])
@awsQueryError(code: "Customized", httpResponseCode: 402)
@error("client")
structure CustomCodeError {
    message: String
}

@httpResponseTests([
    {
        id: "Json10QueryCompatibleReceiverFault"
        documentation: "Receiver in x-amzn-query-error is a server fault."
        protocol: awsJson1_0
        params: { message: "Down" }
        code: 500
        headers: { "Content-Type": "application/x-amz-json-1.0", "x-amzn-query-error": "Internal.Failure;Receiver" }
        body: "{\"__type\": \"example.json10query#ServerSideError\", \"message\": \"Down\"}"
        bodyMediaType: "application/json"
        vendorParamsShape: ErrorCodeParams
        vendorParams: { code: "Internal.Failure", type: "Receiver" }
    }
])
@awsQueryError(code: "Internal.Failure", httpResponseCode: 500)
@error("client")
structure ServerSideError {
    message: String
}
