$version: "2"

// Endpoint rule parameters bound the ways the rules engine allows, as Kinesis
// (StreamARN, OperationType), S3 (clientContextParams) and DynamoDB
// (AWS::Auth::AccountId, AccountIdEndpointMode, operationContextParams) bind
// them; the rule set is ours.
namespace example.streams

use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_1
use smithy.rules#clientContextParams
use smithy.rules#contextParam
use smithy.rules#endpointRuleSet
use smithy.rules#operationContextParams
use smithy.rules#staticContextParams

@service(sdkId: "Streams", endpointPrefix: "streams")
@sigv4(name: "streams")
@awsJson1_1
@clientContextParams(
    Tier: {type: "string", documentation: "The service tier whose hosts serve this client."}
    UseLegacyHost: {type: "boolean", documentation: "Send to the legacy host name."}
)
@endpointRuleSet({
    "version": "1.0",
    "parameters": {
        "Region": {"builtIn": "AWS::Region", "required": false, "documentation": "The region.", "type": "String"},
        "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "documentation": "FIPS.", "type": "Boolean"},
        "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true, "default": false, "documentation": "Dual-stack.", "type": "Boolean"},
        "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "documentation": "A custom endpoint.", "type": "String"},
        "AccountId": {"builtIn": "AWS::Auth::AccountId", "required": false, "documentation": "The caller's account.", "type": "String"},
        "AccountIdEndpointMode": {"builtIn": "AWS::Auth::AccountIdEndpointMode", "required": false, "documentation": "Account-based endpoints.", "type": "String"},
        "StreamARN": {"required": false, "documentation": "The stream's ARN.", "type": "String"},
        "OperationType": {"required": false, "documentation": "control or data.", "type": "String"},
        "ShardNames": {"required": false, "documentation": "The shards a call names.", "type": "stringArray"},
        "Tier": {"required": false, "documentation": "The service tier.", "type": "String"},
        "UseLegacyHost": {"required": true, "default": false, "documentation": "Legacy host.", "type": "Boolean"}
    },
    "rules": [
        {
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "rules": [
                {
                    "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                    "error": "Invalid Configuration: FIPS and custom endpoint are not supported",
                    "type": "error"
                },
                {
                    "conditions": [],
                    "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}},
                    "type": "endpoint"
                }
            ],
            "type": "tree"
        },
        {
            "conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]}],
            "error": "Invalid Configuration: Missing Region",
            "type": "error"
        },
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "StreamARN"}]},
                {"fn": "isSet", "argv": [{"ref": "OperationType"}]},
                {"fn": "aws.parseArn", "argv": [{"ref": "StreamARN"}], "assign": "arn"}
            ],
            "endpoint": {
                "url": "https://{arn#accountId}.{OperationType}-streams.{Region}.amazonaws.com",
                "properties": {"authSchemes": [{"name": "sigv4", "signingName": "streams", "signingRegion": "{arn#region}"}]},
                "headers": {}
            },
            "type": "endpoint"
        },
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "ShardNames"}]},
                {"fn": "getAttr", "argv": [{"ref": "ShardNames"}, "[0]"], "assign": "firstShard"}
            ],
            "endpoint": {"url": "https://{firstShard}.shards.streams.{Region}.amazonaws.com", "properties": {}, "headers": {}},
            "type": "endpoint"
        },
        {
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "AccountId"}]},
                {"fn": "isSet", "argv": [{"ref": "AccountIdEndpointMode"}]},
                {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"ref": "AccountIdEndpointMode"}, "disabled"]}]}
            ],
            "endpoint": {"url": "https://{AccountId}.account.streams.{Region}.amazonaws.com", "properties": {}, "headers": {}},
            "type": "endpoint"
        },
        {
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Tier"}]}],
            "endpoint": {"url": "https://streams-{Tier}.{Region}.amazonaws.com", "properties": {}, "headers": {"x-streams-tier": ["{Tier}"]}},
            "type": "endpoint"
        },
        {
            "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseLegacyHost"}, true]}],
            "endpoint": {"url": "https://legacy-streams.{Region}.amazonaws.com", "properties": {}, "headers": {}},
            "type": "endpoint"
        },
        {
            "conditions": [],
            "endpoint": {
                "url": "https://streams.{Region}.amazonaws.com",
                "properties": {"authSchemes": [
                    {"name": "sigv4a", "signingName": "streams", "signingRegionSet": ["*"]},
                    {"name": "sigv4", "signingName": "streamsvc", "signingRegion": "{Region}"}
                ]},
                "headers": {}
            },
            "type": "endpoint"
        }
    ]
})
service StreamsService {
    version: "2024-02-02"
    operations: [DescribeStream, PutRecord, ListShards, GetHealth]
}

@staticContextParams(OperationType: {value: "control"})
operation DescribeStream {
    input := {
        @contextParam(name: "StreamARN")
        StreamARN: String
        StreamName: String
    }
    output := {
        Status: String
    }
}

@staticContextParams(OperationType: {value: "data"})
operation PutRecord {
    input := {
        @contextParam(name: "StreamARN")
        StreamARN: String
        @required
        Data: String
    }
    output := {
        SequenceNumber: String
    }
}

@operationContextParams(ShardNames: {path: "Shards[*].Name"})
operation ListShards {
    input := {
        Shards: ShardList
    }
    output := {
        Count: Integer
    }
}

list ShardList {
    member: Shard
}

structure Shard {
    Name: String
}

operation GetHealth {
    input := {}
    output := {
        Healthy: Boolean
    }
}
