$version: "2"

// Endpoint discovery as Timestream (required) and DynamoDB (optional) use it:
// aws.api#clientEndpointDiscovery names DescribeEndpoints and the error a
// stale endpoint answers; aws.api#clientDiscoveredEndpoint marks operations.
namespace example.discovered

use aws.api#clientDiscoveredEndpoint
use aws.api#clientEndpointDiscovery
use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_0
use smithy.rules#endpointRuleSet

@service(sdkId: "Discovered", endpointPrefix: "records")
@sigv4(name: "records")
@awsJson1_0
@clientEndpointDiscovery(operation: DescribeEndpoints, error: InvalidEndpointException)
@endpointRuleSet({
    "version": "1.0",
    "parameters": {
        "Region": {"builtIn": "AWS::Region", "required": false, "documentation": "The region.", "type": "String"},
        "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "documentation": "FIPS.", "type": "Boolean"},
        "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true, "default": false, "documentation": "Dual-stack.", "type": "Boolean"},
        "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "documentation": "A custom endpoint.", "type": "String"}
    },
    "rules": [
        {
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}},
            "type": "endpoint"
        },
        {
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
            "endpoint": {"url": "https://records.{Region}.amazonaws.com", "properties": {}, "headers": {}},
            "type": "endpoint"
        },
        {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
    ]
})
service RecordsService {
    version: "2018-11-01"
    operations: [DescribeEndpoints, WriteRecords, ListTables, GetStatus]
    errors: [InvalidEndpointException]
}

operation DescribeEndpoints {
    input := {}
    output := {
        @required
        Endpoints: Endpoints
    }
}

list Endpoints {
    member: Endpoint
}

structure Endpoint {
    @required
    Address: String

    @required
    CachePeriodInMinutes: Long
}

// Timestream's data-plane operations: no discovered endpoint, no call.
@clientDiscoveredEndpoint(required: true)
operation WriteRecords {
    input := {
        @required
        TableName: String
        Records: RecordList
    }
    output := {
        RecordsIngested: Integer
    }
}

list RecordList {
    member: String
}

// DynamoDB's operations: discovery optional (off unless switched on).
@clientDiscoveredEndpoint(required: false)
operation ListTables {
    input := {
        Limit: Integer
    }
    output := {
        TableNames: TableNames
    }
}

list TableNames {
    member: String
}

// Not marked: always the rule set's endpoint.
operation GetStatus {
    input := {}
    output := {
        Status: String
    }
}

@error("client")
@httpError(421)
structure InvalidEndpointException {
    Message: String
}
