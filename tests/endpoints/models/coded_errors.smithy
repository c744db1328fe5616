$version: "2"

// Error shapes with a member named `code`, as Lightsail's errors all have
// (and some of Firehose's): the awsJson error type comes from `__type`, the
// `code` member is just a member.
namespace example.coded

use aws.api#service
use aws.auth#sigv4
use aws.protocols#awsJson1_1

@service(sdkId: "Coded")
@sigv4(name: "coded")
@awsJson1_1
service CodedService {
    version: "2024-01-01"
    operations: [GetWidget]
    errors: [ServiceException]
}

operation GetWidget {
    input := {
        @required
        name: String
    }
    output := {
        name: String
    }
    errors: [NotFoundException, InvalidInputException]
}

@error("client")
structure NotFoundException {
    code: String
    docs: String
    message: String
    tip: String
}

@error("client")
structure InvalidInputException {
    code: String
    message: String
}

@error("server")
structure ServiceException {
    code: String
    message: String
}
