"""A tiny hand-written service in the shape smithygen generates, for runtime tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Self

import attrs
from smithygen_runtime import (
    BaseClient,
    Credentials,
    OperationSpec,
    ServiceError,
    ServiceSpec,
    ValidationError,
)

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue+/=="
CREDENTIALS = Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)


class DemoError(ServiceError):
    """Base of the demo service's errors."""


class UnknownDemoError(DemoError):
    """A code the demo model does not know."""


class ThingNotFound(DemoError):
    code = "ThingNotFound"
    fault = "client"


class InternalServerError(DemoError):
    code = "InternalServerError"
    fault = "server"


class ThingLocked(DemoError):
    """A modeled error with a member, read by an overridden _from_wire."""

    code = "ThingLocked"
    fault = "client"

    def __init__(self, message: str = "", *, lock_owner: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.lock_owner = lock_owner

    @classmethod
    def _from_wire(
        cls,
        body: Mapping[str, Any],
        *,
        code: str,
        message: str,
        status_code: int | None,
        request_id: str | None,
    ) -> Self:
        owner = body["LockOwner"]
        if not isinstance(owner, str):
            raise TypeError("LockOwner must be a string")
        return cls(
            message,
            lock_owner=owner,
            code=code,
            status_code=status_code,
            request_id=request_id,
        )


@attrs.frozen(kw_only=True)
class GetThingInput:
    name: str | None = None
    max_results: int | None = None
    next_token: str | None = None


@attrs.frozen(kw_only=True)
class GetThingOutput:
    items: list[str]
    next_token: str | None = None


def _serialize(value: GetThingInput) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    if value.name is not None:
        wire["Name"] = value.name
    if value.max_results is not None:
        wire["MaxResults"] = value.max_results
    if value.next_token is not None:
        wire["NextToken"] = value.next_token
    return wire


def _deserialize(body: Mapping[str, Any]) -> GetThingOutput:
    items = body.get("Items")
    if items is None:
        items = []
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise TypeError("Items must be a list of strings")
    token = body.get("NextToken")
    if token is not None and not isinstance(token, str):
        raise TypeError("NextToken must be a string")
    return GetThingOutput(items=items, next_token=token)


def _validate(value: GetThingInput) -> None:
    if value.max_results is not None and not 1 <= value.max_results <= 50:
        raise ValidationError("MaxResults", "range", "must be between 1 and 50")


def _errors(*classes: type[ServiceError]) -> dict[str, type[ServiceError]]:
    return {cls.code: cls for cls in classes}


GET_THING: OperationSpec[GetThingInput, GetThingOutput] = OperationSpec(
    name="GetThing",
    serialize=_serialize,
    deserialize=_deserialize,
    validate=_validate,
    errors=_errors(ThingNotFound, ThingLocked),
)

GET_THING_PREFIXED: OperationSpec[GetThingInput, GetThingOutput] = OperationSpec(
    name="GetThing",
    serialize=_serialize,
    deserialize=_deserialize,
    validate=_validate,
    errors={},
    host_prefix="{Name}.data.",
    host_labels=lambda value: {"Name": value.name or ""},
)


def make_service(
    *,
    protocol: str = "awsJson1_1",
    ruleset: Callable[[], Mapping[str, Any]] | None = None,
) -> ServiceSpec:
    return ServiceSpec(
        sdk_id="Demo",
        target_prefix="DemoService",
        signing_name="demo",
        protocol=protocol,  # type: ignore[arg-type]
        api_version="2024-01-01",
        endpoint_prefix="demo",
        endpoint_ruleset=ruleset,
        base_error=DemoError,
        unknown_error=UnknownDemoError,
        errors=_errors(ThingNotFound, ThingLocked, InternalServerError),
    )


# The Amazon Machine Learning customization, with Name as the endpoint member.
GET_THING_AT_NAME: OperationSpec[GetThingInput, GetThingOutput] = OperationSpec(
    name="GetThing",
    serialize=_serialize,
    deserialize=_deserialize,
    validate=_validate,
    errors={},
    endpoint_from_input=lambda value: value.name,
)


class DemoClient(BaseClient):
    """The demo service's client, as generated code would write it."""

    _service = make_service()

    async def get_thing(
        self,
        *,
        name: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> GetThingOutput:
        return await self._invoke(
            GET_THING,
            GetThingInput(name=name, max_results=max_results, next_token=next_token),
        )


class DemoJson10Client(DemoClient):
    _service = make_service(protocol="awsJson1_0")
