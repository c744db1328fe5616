"""A small STS on the shared loopback server: real awsQuery requests in, real
XML responses out (the shapes and codes of STS's documentation examples).

``GetCallerIdentity`` answers the caller's identity; ``AssumeRole`` answers
credentials, unless its input asks for an error: a ``RoleArn`` ending in
``/missing`` is AccessDenied (an error STS does not model), a ``Policy``
containing ``not-json`` is MalformedPolicyDocument (modeled, with its
awsQueryError code), ``RoleSessionName`` ``expired`` is ExpiredTokenException
and ``disabled`` RegionDisabledException.
"""

from __future__ import annotations

from urllib.parse import unquote

from tests.support.loopback_server import Action, Reply, Request

NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"
XML = (("Content-Type", "text/xml"),)
REQUEST_ID = "c6104cbe-af31-11e0-8154-cbc7ccf896c7"


def form(request: Request) -> list[tuple[str, str]]:
    """The request's form pairs, decoded, in the order sent."""
    return form_pairs_of(request.body)


def form_pairs_of(body: bytes | str | None) -> list[tuple[str, str]]:
    """A form body's pairs, decoded ("+" or "%20" for a space), in order."""
    text = body.decode("ascii") if isinstance(body, bytes) else body or ""
    pairs = []
    for part in text.split("&") if text else []:
        key, _, value = part.partition("=")
        pairs.append((unquote(key.replace("+", " ")), unquote(value.replace("+", " "))))
    return pairs


def _ok(action: str, result: str) -> Reply:
    body = (
        f'<{action}Response xmlns="{NAMESPACE}">\n'
        f"  <{action}Result>{result}</{action}Result>\n"
        f"  <ResponseMetadata><RequestId>{REQUEST_ID}</RequestId></ResponseMetadata>\n"
        f"</{action}Response>\n"
    )
    return Reply(200, body.encode(), XML)


def error(status: int, code: str, message: str, fault: str = "Sender") -> Reply:
    body = (
        f'<ErrorResponse xmlns="{NAMESPACE}">\n'
        f"  <Error><Type>{fault}</Type><Code>{code}</Code>"
        f"<Message>{message}</Message></Error>\n"
        f"  <RequestId>{REQUEST_ID}</RequestId>\n"
        f"</ErrorResponse>\n"
    )
    return Reply(status, body.encode(), XML)


CALLER = (
    "<Arn>arn:aws:iam::123456789012:user/Alice</Arn>"
    "<UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>"
    "<Account>123456789012</Account>"
)
CREDENTIALS = (
    "<Credentials>"
    "<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>"
    "<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>"
    "<SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764</SessionToken>"
    "<Expiration>2024-05-06T08:08:09.123Z</Expiration>"
    "</Credentials>"
    "<AssumedRoleUser>"
    "<Arn>arn:aws:sts::123456789012:assumed-role/demo/{session}</Arn>"
    "<AssumedRoleId>ARO123EXAMPLE123:{session}</AssumedRoleId>"
    "</AssumedRoleUser>"
    "<PackedPolicySize>6</PackedPolicySize>"
    "<SourceIdentity>{source}</SourceIdentity>"
)


def sts_handler(request: Request) -> Action:
    """The answer of the small STS to one request."""
    params = dict(form(request))
    action = params.get("Action", "")
    if params.get("Version") != "2011-06-15":
        return error(400, "InvalidAction", "Could not find operation")
    if action == "GetCallerIdentity":
        return _ok(action, CALLER)
    if action == "AssumeRole":
        session = params.get("RoleSessionName", "")
        if params.get("RoleArn", "").endswith("/missing"):
            return error(403, "AccessDenied", "User: Alice is not authorized")
        if "not-json" in params.get("Policy", ""):
            return error(400, "MalformedPolicyDocument", "Syntax errors in policy.")
        if session == "expired":
            return error(400, "ExpiredTokenException", "The token has expired")
        if session == "disabled":
            return error(403, "RegionDisabledException", "STS is not activated")
        result = CREDENTIALS.format(
            session=session, source=params.get("SourceIdentity", "")
        )
        return _ok(action, result)
    return error(400, "InvalidAction", f"Could not find operation {action}")
