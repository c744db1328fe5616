$version: "2.0"

// A Glacier-like restJson1 service for tests/restjson: the protocol suite's
// Glacier operations take a @streaming body (not generated yet), so this one
// sends a plain blob payload, under Glacier's sdkId, to exercise the runtime's
// Glacier customization; plus the bindings the suite reaches only partly.
namespace example.vaults

use aws.api#service
use aws.auth#sigv4
use aws.protocols#restJson1

@service(sdkId: "Glacier", endpointPrefix: "glacier")
@sigv4(name: "glacier")
@restJson1
service Vaults {
    version: "2012-06-01"
    operations: [UploadArchive, GetObject, DescribeVault]
}

@http(method: "POST", uri: "/{accountId}/vaults/{vaultName}/archives", code: 201)
operation UploadArchive {
    input := {
        @required
        @httpLabel
        accountId: String

        @required
        @httpLabel
        vaultName: String

        @httpHeader("x-amz-sha256-tree-hash")
        checksum: String

        @httpPayload
        body: Blob
    }
    output := {
        @httpHeader("x-amz-archive-id")
        archiveId: String

        @httpResponseCode
        status: Integer
    }
}

@readonly
@http(method: "GET", uri: "/objects/{Key+}?versions")
operation GetObject {
    input := {
        @required
        @httpLabel
        Key: String

        @httpQuery("since")
        since: Timestamp

        @httpQuery("tag")
        tags: TagList
    }
    output := {
        @httpHeader("X-Count")
        count: Integer

        @httpHeader("X-Modified")
        modified: Timestamp

        @httpPrefixHeaders("X-Meta-")
        meta: MetaMap

        @jsonName("Display")
        display: String
    }
    errors: [ObjectGone]
}

@readonly
@http(method: "GET", uri: "/vaults/{vaultName}")
operation DescribeVault {
    input := {
        @required
        @httpLabel
        vaultName: String
    }
    output := {
        sizeInBytes: Long
    }
    errors: [ObjectGone]
}

@error("client")
@httpError(410)
structure ObjectGone {
    message: String

    @httpHeader("X-Gone-Since")
    goneSince: Timestamp
}

list TagList {
    member: String
}

map MetaMap {
    key: String
    value: String
}
