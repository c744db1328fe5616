$version: "2.0"

// An awsJson 1.1 service with event streams both ways, in the shape of Amazon
// Kinesis's SubscribeToShard (output events after an initial-response) and
// of a publishing operation (input events after an initial-request). The
// official models in ../shared have no awsJson event stream.
namespace example.shards

use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_1

@service(sdkId: "Shards")
@sigv4(name: "shards")
@awsJson1_1
service Shards {
    version: "2024-01-01"
    operations: [SubscribeToShard, WatchShard, PublishRecords, Upload]
}

operation SubscribeToShard {
    input := {
        @required
        ShardId: String

        StartingSequenceNumber: String
    }
    output := {
        @required
        EventStream: SubscribeToShardEventStream

        ShardLevel: Integer
    }
    errors: [ResourceNotFoundException]
}

@streaming
union SubscribeToShardEventStream {
    SubscribeToShardEvent: SubscribeToShardEvent
    HeartbeatEvent: HeartbeatEvent
    ResourceInUseException: ResourceInUseException
}

structure SubscribeToShardEvent {
    @required
    Records: RecordList

    @required
    ContinuationSequenceNumber: String

    MillisBehindLatest: Long
}

list RecordList {
    member: Record
}

structure Record {
    @required
    SequenceNumber: String

    ApproximateArrivalTimestamp: Timestamp

    @required
    Data: Blob
}

structure HeartbeatEvent {
    @eventHeader
    sequence: Long

    @eventHeader
    sentAt: Timestamp

    @eventHeader
    healthy: Boolean
}

@error("client")
structure ResourceInUseException {
    message: String
}

@error("client")
structure ResourceNotFoundException {
    message: String
}

// An output stream whose initial response has a required member: the call
// fails when the initial-response lacks it (no client error correction).
operation WatchShard {
    input := {
        @required
        ShardId: String
    }
    output := {
        @required
        SessionId: String

        Events: SubscribeToShardEventStream
    }
}

operation PublishRecords {
    input := {
        @required
        StreamName: String

        @required
        Records: PublishEventStream
    }
    output := {
        Accepted: Integer
    }
}

@streaming
union PublishEventStream {
    Record: PublishedRecord
    Note: NoteEvent
    // A client may send a modeled error; it ends the input stream.
    Abandoned: PublishAbandoned
}

@error("client")
structure PublishAbandoned {
    message: String

    @eventHeader
    reason: String
}

structure PublishedRecord {
    @eventHeader
    partition: String

    @eventHeader
    priority: Byte

    @eventPayload
    data: Blob
}

structure NoteEvent {
    @eventPayload
    text: String
}

// A streaming blob: awsJson has no HTTP payload to carry it, so the client
// leaves this operation out (with a note) rather than generate it wrong.
operation Upload {
    input := {
        @required
        Body: UploadBody
    }
}

@streaming
blob UploadBody
