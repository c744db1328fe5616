// A small restXml service whose XML names and namespaces sit on members, as
// the models of Route 53 and CloudFront rebuilt from botocore's data put them
// (tests/equivalence/test_unseen_rest_xml_services.py): a structure payload
// whose member carries @xmlName and @xmlNamespace.
$version: "2"

namespace example.xmlmembers

use aws.api#service
use aws.auth#sigv4
use aws.protocols#restXml

@service(sdkId: "Xml Members")
@sigv4(name: "xmlmembers")
@restXml
@xmlNamespace(uri: "https://service.example.com/")
service XmlMembers {
    version: "2024-01-01"
    operations: [PutConfig, PutPlainConfig]
}

/// The payload member names its element and its namespace.
@idempotent
@http(method: "PUT", uri: "/config")
operation PutConfig {
    input := {
        @httpPayload
        @xmlName("Config")
        @xmlNamespace(uri: "https://member.example.com/")
        config: ConfigBody
    }
}

/// The same payload without a member namespace: the structure's applies.
@idempotent
@http(method: "PUT", uri: "/plain")
operation PutPlainConfig {
    input := {
        @httpPayload
        config: NamespacedBody
    }
}

structure ConfigBody {
    name: String
}

@xmlNamespace(uri: "https://structure.example.com/")
structure NamespacedBody {
    name: String
}
