"""The runtime's release and the version of its contract with generated code.

``__version__`` is the ``smithygen-runtime`` distribution's version.
``CONTRACT_VERSION`` ("MAJOR.MINOR") versions the names and behaviours that
generated code relies on (docs/runtime-contract.md): a package generated for
contract M.N works with any runtime whose contract is M.K with K >= N. Adding
a name bumps MINOR; removing or changing one bumps MAJOR. Generated packages
check it when imported and raise ImportError naming both versions.
"""

__version__ = "0.1.0"
CONTRACT_VERSION = "1.10"  # 1.1: common_errors, endpoint bindings, discovery, client context; 1.2: deserializer readers, interceptors; 1.3: HTTP bindings (HttpBinding, HttpMember, OperationSpec.http, checksum_required, ServiceSpec.error_bindings), rpcv2Cbor (ServiceSpec.protocols/query_compatible, OperationSpec.has_input/other_serializers); 1.4: query and XML layouts (WireSchema, XmlStructure, XmlMember, XmlList, XmlMap, XML_* kinds), OperationSpec.unsigned; 1.5: streaming (StreamSpec, OperationSpec.input_stream/output_stream/unsigned_payload, BlobBody, ByteStream, StreamingBlob, EventStream, EventMessage, EventReader, EventStreamBody, EventStreamError, TypedInt, event_header, event_message, json_payload); 1.6: output_constructor; 1.7: flexible checksums (ChecksumSpec, OperationSpec.checksum); 1.8: StreamSpec.initial_required, wait(sleep=), BaseClient._waiter_sleep; 1.9: output_constructor kept per class (grouped packages ask at each object); 1.10: table-driven JSON readers (JsonReaders, Reader, member, shape, variant, ZERO, and the kinds STRING, INTEGER, BOOLEAN, FLOAT, BIG_DECIMAL, BLOB, DOCUMENT, EPOCH_SECONDS, DATE_TIME, HTTP_DATE, UNIT)
