// A service offering two protocols, rpcv2Cbor listed first (as CloudWatch and
// forty other AWS services list it in their models) and awsJson1_0, and
// migrated from awsQuery. botocore speaks JSON to such a service whatever the
// order; the generated client does the same and takes protocol="rpcv2Cbor".
$version: "2"

namespace example.dual

use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_0
use aws.protocols#awsQueryCompatible
use aws.protocols#awsQueryError
use smithy.protocols#rpcv2Cbor

@service(sdkId: "Dual")
@sigv4(name: "dual")
@rpcv2Cbor
@awsJson1_0
@awsQueryCompatible
service DualService {
    version: "2024-06-01"
    operations: [PutMetric, Ping]
}

operation PutMetric {
    input := {
        @required
        Name: String

        Value: Double

        Stamp: Timestamp

        @timestampFormat("date-time")
        Logged: Timestamp

        Payload: Blob

        Tags: TagMap

        Values: DoubleList
    }
    output := {
        Name: String
        Value: Double
        Stamp: Timestamp
        Payload: Blob
        Values: DoubleList
    }
    errors: [MetricLimitExceeded]
}

/// An operation without input or output: rpcv2Cbor sends no body for it.
operation Ping {}

map TagMap {
    key: String
    value: String
}

list DoubleList {
    member: Double
}

@awsQueryError(code: "LimitExceeded", httpResponseCode: 400)
@error("client")
structure MetricLimitExceeded {
    message: String
    Since: Timestamp
    Detail: Blob
}
