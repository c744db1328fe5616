// AWS Systems Manager (SSM), reduced to the inventory deletion API.
//
// Every shape below matches the official AWS model of SSM (2014-11-06) in
// type, members, targets and traits; only the documentation is ours, and
// DescribeInventoryDeletions carries one addition: the DeletionCompleted
// waiter. The service keeps the official protocol, auth and endpoint traits.
$version: "2"
$operationInputSuffix: "Request"
$operationOutputSuffix: "Result"

namespace com.amazonaws.ssm

use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_1
use aws.protocols#awsQueryError
use smithy.rules#endpointRuleSet
use smithy.rules#endpointTests
use smithy.waiters#waitable

/// AWS Systems Manager (SSM), limited to the operations that remove custom
/// inventory and report on those removals.
///
/// Inventory is the metadata Systems Manager collects from managed nodes. A
/// custom inventory type (a type name starting with `Custom:`) can be deleted
/// with `DeleteInventory`, which starts an asynchronous deletion and returns its
/// ID; `DescribeInventoryDeletions` reports how each deletion is progressing.
@service(
    sdkId: "SSM"
    arnNamespace: "ssm"
    cloudFormationName: "SSM"
    cloudTrailEventSource: "ssm.amazonaws.com"
    endpointPrefix: "ssm"
)
@sigv4(name: "ssm")
@awsJson1_1
@title("Amazon Simple Systems Manager (SSM)")
@xmlNamespace(uri: "http://ssm.amazonaws.com/doc/2014-11-06/")
@endpointRuleSet(
    version: "1.0"
    parameters: {
        Region: {
            builtIn: "AWS::Region"
            required: false
            documentation: "The AWS region used to dispatch the request."
            type: "string"
        }
        UseDualStack: {
            builtIn: "AWS::UseDualStack"
            required: true
            default: false
            documentation: "When true, use the dual-stack endpoint. If the configured endpoint does not support dual-stack, dispatching the request MAY return an error."
            type: "boolean"
        }
        UseFIPS: {
            builtIn: "AWS::UseFIPS"
            required: true
            default: false
            documentation: "When true, send this request to the FIPS-compliant regional endpoint. If the configured endpoint does not have a FIPS compliant endpoint, dispatching the request will return an error."
            type: "boolean"
        }
        Endpoint: {
            builtIn: "SDK::Endpoint"
            required: false
            documentation: "Override the endpoint used to send this request"
            type: "string"
        }
    }
    rules: [
        {
            conditions: [{fn: "isSet", argv: [{ref: "Endpoint"}]}]
            rules: [
                {
                    conditions: [{fn: "booleanEquals", argv: [{ref: "UseFIPS"}, true]}]
                    error: "Invalid Configuration: FIPS and custom endpoint are not supported"
                    type: "error"
                }
                {
                    conditions: [{fn: "booleanEquals", argv: [{ref: "UseDualStack"}, true]}]
                    error: "Invalid Configuration: Dualstack and custom endpoint are not supported"
                    type: "error"
                }
                {
                    conditions: []
                    endpoint: {url: {ref: "Endpoint"}, properties: {}, headers: {}}
                    type: "endpoint"
                }
            ]
            type: "tree"
        }
        {
            conditions: [{fn: "isSet", argv: [{ref: "Region"}]}]
            rules: [
                {
                    conditions: [
                        {
                            fn: "aws.partition"
                            argv: [{ref: "Region"}]
                            assign: "PartitionResult"
                        }
                    ]
                    rules: [
                        {
                            conditions: [
                                {fn: "booleanEquals", argv: [{ref: "UseFIPS"}, true]}
                                {fn: "booleanEquals", argv: [{ref: "UseDualStack"}, true]}
                            ]
                            rules: [
                                {
                                    conditions: [
                                        {
                                            fn: "booleanEquals"
                                            argv: [
                                                true
                                                {
                                                    fn: "getAttr"
                                                    argv: [
                                                        {ref: "PartitionResult"}
                                                        "supportsFIPS"
                                                    ]
                                                }
                                            ]
                                        }
                                        {
                                            fn: "booleanEquals"
                                            argv: [
                                                true
                                                {
                                                    fn: "getAttr"
                                                    argv: [
                                                        {ref: "PartitionResult"}
                                                        "supportsDualStack"
                                                    ]
                                                }
                                            ]
                                        }
                                    ]
                                    rules: [
                                        {
                                            conditions: []
                                            endpoint: {
                                                url: "https://ssm-fips.{Region}.{PartitionResult#dualStackDnsSuffix}"
                                                properties: {}
                                                headers: {}
                                            }
                                            type: "endpoint"
                                        }
                                    ]
                                    type: "tree"
                                }
                                {
                                    conditions: []
                                    error: "FIPS and DualStack are enabled, but this partition does not support one or both"
                                    type: "error"
                                }
                            ]
                            type: "tree"
                        }
                        {
                            conditions: [{fn: "booleanEquals", argv: [{ref: "UseFIPS"}, true]}]
                            rules: [
                                {
                                    conditions: [
                                        {
                                            fn: "booleanEquals"
                                            argv: [
                                                {
                                                    fn: "getAttr"
                                                    argv: [
                                                        {ref: "PartitionResult"}
                                                        "supportsFIPS"
                                                    ]
                                                }
                                                true
                                            ]
                                        }
                                    ]
                                    rules: [
                                        {
                                            conditions: [
                                                {
                                                    fn: "stringEquals"
                                                    argv: [
                                                        {
                                                            fn: "getAttr"
                                                            argv: [
                                                                {ref: "PartitionResult"}
                                                                "name"
                                                            ]
                                                        }
                                                        "aws-us-gov"
                                                    ]
                                                }
                                            ]
                                            endpoint: {
                                                url: "https://ssm.{Region}.amazonaws.com"
                                                properties: {}
                                                headers: {}
                                            }
                                            type: "endpoint"
                                        }
                                        {
                                            conditions: []
                                            endpoint: {
                                                url: "https://ssm-fips.{Region}.{PartitionResult#dnsSuffix}"
                                                properties: {}
                                                headers: {}
                                            }
                                            type: "endpoint"
                                        }
                                    ]
                                    type: "tree"
                                }
                                {
                                    conditions: []
                                    error: "FIPS is enabled but this partition does not support FIPS"
                                    type: "error"
                                }
                            ]
                            type: "tree"
                        }
                        {
                            conditions: [{fn: "booleanEquals", argv: [{ref: "UseDualStack"}, true]}]
                            rules: [
                                {
                                    conditions: [
                                        {
                                            fn: "booleanEquals"
                                            argv: [
                                                true
                                                {
                                                    fn: "getAttr"
                                                    argv: [
                                                        {ref: "PartitionResult"}
                                                        "supportsDualStack"
                                                    ]
                                                }
                                            ]
                                        }
                                    ]
                                    rules: [
                                        {
                                            conditions: []
                                            endpoint: {
                                                url: "https://ssm.{Region}.{PartitionResult#dualStackDnsSuffix}"
                                                properties: {}
                                                headers: {}
                                            }
                                            type: "endpoint"
                                        }
                                    ]
                                    type: "tree"
                                }
                                {
                                    conditions: []
                                    error: "DualStack is enabled but this partition does not support DualStack"
                                    type: "error"
                                }
                            ]
                            type: "tree"
                        }
                        {
                            conditions: []
                            endpoint: {
                                url: "https://ssm.{Region}.{PartitionResult#dnsSuffix}"
                                properties: {}
                                headers: {}
                            }
                            type: "endpoint"
                        }
                    ]
                    type: "tree"
                }
            ]
            type: "tree"
        }
        {conditions: [], error: "Invalid Configuration: Missing Region", type: "error"}
    ]
)
@endpointTests(
    testCases: [
        {
            documentation: "For region af-south-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.af-south-1.amazonaws.com"}}
            params: {Region: "af-south-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ap-east-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ap-east-1.amazonaws.com"}}
            params: {Region: "ap-east-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ap-northeast-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ap-northeast-1.amazonaws.com"}}
            params: {Region: "ap-northeast-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ap-northeast-2 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ap-northeast-2.amazonaws.com"}}
            params: {Region: "ap-northeast-2", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ap-northeast-3 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ap-northeast-3.amazonaws.com"}}
            params: {Region: "ap-northeast-3", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ap-south-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ap-south-1.amazonaws.com"}}
            params: {Region: "ap-south-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ap-southeast-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ap-southeast-1.amazonaws.com"}}
            params: {Region: "ap-southeast-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ap-southeast-2 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ap-southeast-2.amazonaws.com"}}
            params: {Region: "ap-southeast-2", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ap-southeast-3 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ap-southeast-3.amazonaws.com"}}
            params: {Region: "ap-southeast-3", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ca-central-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.ca-central-1.amazonaws.com"}}
            params: {Region: "ca-central-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region ca-central-1 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm-fips.ca-central-1.amazonaws.com"}}
            params: {Region: "ca-central-1", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region eu-central-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.eu-central-1.amazonaws.com"}}
            params: {Region: "eu-central-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region eu-north-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.eu-north-1.amazonaws.com"}}
            params: {Region: "eu-north-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region eu-south-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.eu-south-1.amazonaws.com"}}
            params: {Region: "eu-south-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region eu-west-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.eu-west-1.amazonaws.com"}}
            params: {Region: "eu-west-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region eu-west-2 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.eu-west-2.amazonaws.com"}}
            params: {Region: "eu-west-2", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region eu-west-3 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.eu-west-3.amazonaws.com"}}
            params: {Region: "eu-west-3", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region me-south-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.me-south-1.amazonaws.com"}}
            params: {Region: "me-south-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region sa-east-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.sa-east-1.amazonaws.com"}}
            params: {Region: "sa-east-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-east-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-east-1.amazonaws.com"}}
            params: {Region: "us-east-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-east-1 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm-fips.us-east-1.amazonaws.com"}}
            params: {Region: "us-east-1", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region us-east-2 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-east-2.amazonaws.com"}}
            params: {Region: "us-east-2", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-east-2 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm-fips.us-east-2.amazonaws.com"}}
            params: {Region: "us-east-2", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region us-west-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-west-1.amazonaws.com"}}
            params: {Region: "us-west-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-west-1 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm-fips.us-west-1.amazonaws.com"}}
            params: {Region: "us-west-1", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region us-west-2 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-west-2.amazonaws.com"}}
            params: {Region: "us-west-2", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-west-2 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm-fips.us-west-2.amazonaws.com"}}
            params: {Region: "us-west-2", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region us-east-1 with FIPS enabled and DualStack enabled"
            expect: {endpoint: {url: "https://ssm-fips.us-east-1.api.aws"}}
            params: {Region: "us-east-1", UseFIPS: true, UseDualStack: true}
        }
        {
            documentation: "For region us-east-1 with FIPS disabled and DualStack enabled"
            expect: {endpoint: {url: "https://ssm.us-east-1.api.aws"}}
            params: {Region: "us-east-1", UseFIPS: false, UseDualStack: true}
        }
        {
            documentation: "For region cn-north-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.cn-north-1.amazonaws.com.cn"}}
            params: {Region: "cn-north-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region cn-northwest-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.cn-northwest-1.amazonaws.com.cn"}}
            params: {Region: "cn-northwest-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region cn-north-1 with FIPS enabled and DualStack enabled"
            expect: {endpoint: {url: "https://ssm-fips.cn-north-1.api.amazonwebservices.com.cn"}}
            params: {Region: "cn-north-1", UseFIPS: true, UseDualStack: true}
        }
        {
            documentation: "For region cn-north-1 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm-fips.cn-north-1.amazonaws.com.cn"}}
            params: {Region: "cn-north-1", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region cn-north-1 with FIPS disabled and DualStack enabled"
            expect: {endpoint: {url: "https://ssm.cn-north-1.api.amazonwebservices.com.cn"}}
            params: {Region: "cn-north-1", UseFIPS: false, UseDualStack: true}
        }
        {
            documentation: "For region us-gov-east-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-gov-east-1.amazonaws.com"}}
            params: {Region: "us-gov-east-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-gov-east-1 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-gov-east-1.amazonaws.com"}}
            params: {Region: "us-gov-east-1", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region us-gov-west-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-gov-west-1.amazonaws.com"}}
            params: {Region: "us-gov-west-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-gov-west-1 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-gov-west-1.amazonaws.com"}}
            params: {Region: "us-gov-west-1", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region us-gov-east-1 with FIPS enabled and DualStack enabled"
            expect: {endpoint: {url: "https://ssm-fips.us-gov-east-1.api.aws"}}
            params: {Region: "us-gov-east-1", UseFIPS: true, UseDualStack: true}
        }
        {
            documentation: "For region us-gov-east-1 with FIPS disabled and DualStack enabled"
            expect: {endpoint: {url: "https://ssm.us-gov-east-1.api.aws"}}
            params: {Region: "us-gov-east-1", UseFIPS: false, UseDualStack: true}
        }
        {
            documentation: "For region us-iso-east-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-iso-east-1.c2s.ic.gov"}}
            params: {Region: "us-iso-east-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-iso-east-1 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm-fips.us-iso-east-1.c2s.ic.gov"}}
            params: {Region: "us-iso-east-1", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For region us-isob-east-1 with FIPS disabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm.us-isob-east-1.sc2s.sgov.gov"}}
            params: {Region: "us-isob-east-1", UseFIPS: false, UseDualStack: false}
        }
        {
            documentation: "For region us-isob-east-1 with FIPS enabled and DualStack disabled"
            expect: {endpoint: {url: "https://ssm-fips.us-isob-east-1.sc2s.sgov.gov"}}
            params: {Region: "us-isob-east-1", UseFIPS: true, UseDualStack: false}
        }
        {
            documentation: "For custom endpoint with region set and fips disabled and dualstack disabled"
            expect: {endpoint: {url: "https://example.com"}}
            params: {
                Region: "us-east-1"
                UseFIPS: false
                UseDualStack: false
                Endpoint: "https://example.com"
            }
        }
        {
            documentation: "For custom endpoint with region not set and fips disabled and dualstack disabled"
            expect: {endpoint: {url: "https://example.com"}}
            params: {UseFIPS: false, UseDualStack: false, Endpoint: "https://example.com"}
        }
        {
            documentation: "For custom endpoint with fips enabled and dualstack disabled"
            expect: {error: "Invalid Configuration: FIPS and custom endpoint are not supported"}
            params: {
                Region: "us-east-1"
                UseFIPS: true
                UseDualStack: false
                Endpoint: "https://example.com"
            }
        }
        {
            documentation: "For custom endpoint with fips disabled and dualstack enabled"
            expect: {
                error: "Invalid Configuration: Dualstack and custom endpoint are not supported"
            }
            params: {
                Region: "us-east-1"
                UseFIPS: false
                UseDualStack: true
                Endpoint: "https://example.com"
            }
        }
        {
            documentation: "Missing region"
            expect: {error: "Invalid Configuration: Missing Region"}
        }
    ]
    version: "1.0"
)
service AmazonSSM {
    version: "2014-11-06"
    operations: [DeleteInventory, DescribeInventoryDeletions]
}

/// Reports the progress of inventory deletions started with `DeleteInventory`:
/// one deletion when `DeletionId` is given, otherwise all deletions of the
/// account in the region, one page at a time.
///
/// The `DeletionCompleted` waiter polls this operation until every deletion in
/// the response has reached the `Complete` status. Its acceptors:
///
/// - success when `InventoryDeletions[].LastStatus` holds at least one status
///   and all of them equal `Complete` (`allStringEquals` never matches an empty
///   list, so an empty page keeps the waiter polling);
/// - retry on `InvalidDeletionIdException`: the ID of a deletion that was just
///   started may not be visible yet, so this error is not taken as a failure
///   (without this acceptor an unmatched error would end the wait in failure);
/// - any other error ends the wait in failure (the waiters specification's
///   default), and any other response (some deletion still `InProgress`) retries.
///
/// Give `DeletionId` when waiting: without it the waiter only sees the first
/// page of deletions. Polls start 2 seconds apart and back off to at most 60.
@paginated(
    inputToken: "NextToken"
    outputToken: "NextToken"
    items: "InventoryDeletions"
    pageSize: "MaxResults"
)
@waitable(
    DeletionCompleted: {
        documentation: "Waits until the inventory deletion (or every deletion listed) reports the Complete status. An InvalidDeletionIdException is retried, since a newly started deletion may not be visible at once."
        acceptors: [
            {
                state: "success"
                matcher: {
                    output: {
                        path: "InventoryDeletions[].LastStatus"
                        expected: "Complete"
                        comparator: "allStringEquals"
                    }
                }
            }
            {
                state: "retry"
                matcher: {errorType: "InvalidDeletionIdException"}
            }
        ]
        minDelay: 2
        maxDelay: 60
    }
)
operation DescribeInventoryDeletions {
    input :=
        /// What to report on: one deletion, or a page of all of them.
        {
            /// The ID of one deletion to report on, as returned by `DeleteInventory`.
            /// Leave it out to list all deletions.
            DeletionId: UUID

            /// Where to resume the listing: the `NextToken` of the previous page.
            /// Leave it out to start with the first page.
            NextToken: NextToken

            /// The largest number of deletions to return in one page (1 to 50).
            /// When more remain, the response carries a `NextToken` to fetch them.
            MaxResults: MaxResults
        }

    output :=
        /// One page of inventory deletions.
        {
            /// The deletions on this page, each with its status and counts.
            InventoryDeletions: InventoryDeletionsList

            /// Present when more deletions remain: pass it as `NextToken` in the next
            /// request to get the following page.
            NextToken: NextToken
        }

    errors: [InternalServerError, InvalidDeletionIdException, InvalidNextToken]
}

/// Starts deleting a custom inventory type: either the data collected for it,
/// or the type (its schema) itself, depending on `SchemaDeleteOption`.
///
/// The deletion runs in the background; the returned `DeletionId` identifies it
/// for `DescribeInventoryDeletions`. With `DryRun` nothing is deleted and the
/// response only summarises what would be.
operation DeleteInventory {
    input :=
        /// The custom inventory type to delete, and how.
        {
            /// The custom inventory type to delete from, such as `Custom:RackInfo`.
            @required
            TypeName: InventoryItemTypeName

            /// What happens to the type's schema. When left out, only the collected
            /// data of the type is deleted and the type stays defined.
            SchemaDeleteOption: InventorySchemaDeleteOption

            /// When true, nothing is deleted: the response summarises what the same
            /// request would delete, so it can be checked before running it for real.
            DryRun: DryRun = false

            /// A unique value (a UUID) that makes retries of the same request safe:
            /// the service starts the deletion at most once per token. SDKs fill it
            /// in when the caller does not.
            @idempotencyToken
            ClientToken: UUID
        }

    output :=
        /// The ID and scope of the deletion that was started.
        {
            /// The ID given to this deletion; pass it to `DescribeInventoryDeletions`
            /// to follow its progress.
            DeletionId: UUID

            /// The inventory type named in the request.
            TypeName: InventoryItemTypeName

            /// How many items the deletion covers, in total and per schema version.
            DeletionSummary: InventoryDeletionSummary
        }

    errors: [
        InternalServerError
        InvalidDeleteInventoryParametersException
        InvalidInventoryRequestException
        InvalidOptionException
        InvalidTypeNameException
    ]
}

/// Systems Manager failed to handle the request because of a problem on its
/// side; the same request may succeed later.
@awsQueryError(code: "InternalServerError", httpResponseCode: 500)
@error("server")
structure InternalServerError {
    /// What went wrong, as the service describes it.
    Message: String
}

/// No deletion has the given `DeletionId`, or the value is not a valid deletion
/// ID. Check the ID returned by `DeleteInventory`.
@awsQueryError(code: "InvalidDeletionId", httpResponseCode: 400)
@error("client")
structure InvalidDeletionIdException {
    /// What went wrong, as the service describes it.
    Message: String
}

/// The `NextToken` was not issued by the service for this listing, or is no
/// longer usable. Start the listing again without a token.
@awsQueryError(code: "InvalidNextToken", httpResponseCode: 400)
@error("client")
structure InvalidNextToken {
    /// What went wrong, as the service describes it.
    Message: String
}

/// At least one parameter of the `DeleteInventory` request is invalid.
@awsQueryError(code: "InvalidDeleteInventoryParameters", httpResponseCode: 400)
@error("client")
structure InvalidDeleteInventoryParametersException {
    /// What went wrong, as the service describes it.
    Message: String
}

/// The inventory request is not valid as a whole.
@awsQueryError(code: "InvalidInventoryRequest", httpResponseCode: 400)
@error("client")
structure InvalidInventoryRequestException {
    /// What went wrong, as the service describes it.
    Message: String
}

/// The `SchemaDeleteOption` given cannot be applied to this deletion.
@awsQueryError(code: "InvalidOption", httpResponseCode: 400)
@error("client")
structure InvalidOptionException {
    /// What went wrong, as the service describes it.
    Message: String
}

/// The inventory type name is not valid for this request.
@awsQueryError(code: "InvalidTypeName", httpResponseCode: 400)
@error("client")
structure InvalidTypeNameException {
    /// What went wrong, as the service describes it.
    Message: String
}

/// A UUID in lowercase hexadecimal, 8-4-4-4-12 digits.
@pattern("^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$")
string UUID

/// An opaque pagination token issued by the service.
string NextToken

/// A page size, from 1 to 50 items.
@range(min: 1, max: 50)
integer MaxResults

/// The deletions returned on one page.
list InventoryDeletionsList {
    member: InventoryDeletionStatusItem
}

/// Free text.
string String

/// The name of an inventory type: `AWS:` for the types Systems Manager
/// defines, `Custom:` for user-defined ones.
@length(min: 1, max: 100)
@pattern("^(AWS|Custom):.*$")
string InventoryItemTypeName

/// What `DeleteInventory` does with the schema of a custom inventory type.
enum InventorySchemaDeleteOption {
    /// Keep the type but stop accepting data for the given version and every
    /// earlier one; `PutInventory` with a higher version enables it again.
    DISABLE_SCHEMA = "DisableSchema"

    /// Remove the custom type from inventory altogether; it can be created
    /// again later.
    DELETE_SCHEMA = "DeleteSchema"
}

/// Whether a request is only a rehearsal.
@default(false)
boolean DryRun

/// Item counts of one inventory deletion.
structure InventoryDeletionSummary {
    /// How many items the deletion covers; set when it starts, then fixed.
    TotalCount: TotalCount = 0

    /// How many of those items are still to be deleted.
    RemainingCount: RemainingCount = 0

    /// The same counts, broken down by schema version of the type.
    SummaryItems: InventoryDeletionSummaryItems
}

/// The state of one inventory deletion, as reported by
/// `DescribeInventoryDeletions`.
structure InventoryDeletionStatusItem {
    /// The ID that `DeleteInventory` returned for this deletion.
    DeletionId: UUID

    /// The inventory type being deleted.
    TypeName: InventoryItemTypeName

    /// When the deletion started (UTC).
    DeletionStartTime: InventoryDeletionStartTime

    /// Where the deletion stands: `InProgress`, then `Complete`.
    LastStatus: InventoryDeletionStatus

    /// A human-readable note on the latest status.
    LastStatusMessage: InventoryDeletionLastStatusMessage

    /// Item counts of the deletion, in total, remaining and per schema version.
    DeletionSummary: InventoryDeletionSummary

    /// When the status was last updated (UTC).
    LastStatusUpdateTime: InventoryDeletionLastStatusUpdateTime
}

/// A number of items.
@default(0)
integer TotalCount

/// A number of items not yet deleted.
@default(0)
integer RemainingCount

/// Per-version counts of a deletion.
list InventoryDeletionSummaryItems {
    member: InventoryDeletionSummaryItem
}

/// The moment a deletion started.
timestamp InventoryDeletionStartTime

/// The progress states of an inventory deletion.
enum InventoryDeletionStatus {
    /// Items are still being deleted.
    IN_PROGRESS = "InProgress"

    /// Every item has been deleted.
    COMPLETE = "Complete"
}

/// Text explaining a deletion status.
string InventoryDeletionLastStatusMessage

/// The moment a deletion status was last updated.
timestamp InventoryDeletionLastStatusUpdateTime

/// The counts of one schema version within an inventory deletion.
structure InventoryDeletionSummaryItem {
    /// The schema version of the inventory type these counts are for.
    Version: InventoryItemSchemaVersion

    /// How many items of this version the deletion covers.
    Count: ResourceCount = 0

    /// How many items of this version are still to be deleted.
    RemainingCount: RemainingCount = 0
}

/// The version of an inventory type's schema: two numbers of up to six digits
/// joined by a dot, such as `1.0`.
@pattern("^([0-9]{1,6})(\\.[0-9]{1,6})$")
string InventoryItemSchemaVersion

/// A number of resources or items.
@default(0)
integer ResourceCount
