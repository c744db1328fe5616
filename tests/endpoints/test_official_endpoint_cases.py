"""Every ``smithy.rules#endpointTests`` case of every official model in
../shared/aws-models, through the runtime's resolver with the parameters bound
as a client binds them (smithygen_runtime._endpoints.bind_parameters).

A case gives its parameters in one or both of two forms:
- ``operationInputs``: an operation, its input (``operationParams``), the
  built-ins and the client context params. The operation's own bindings
  (staticContextParams, contextParam, operationContextParams) are read from
  the model by the generator's code (smithygen.emit.endpoints) and bound
  exactly as a generated client binds them at call time.
- ``params``: rule-set parameter values. Those declared with a builtIn go in
  as built-ins, clientContextParams as client context, and the rest (Bucket,
  Key, ... which only an operation binds) as an operation's bindings would.

The expected URL and headers must match, and the signing name and region the
runtime takes from ``authSchemes`` must be the expected sigv4 entry's. Cases
whose only schemes are ones the runtime cannot sign with (sigv4a without a
sigv4 fallback, S3 Express's sigv4-s3express) must be refused with a
ConfigurationError naming the scheme: they are counted separately below.

The client-level path (generated clients, the URL and the SigV4 scope of the
request actually sent) is tests/equivalence/test_ssm_endpoint_rules.py and
test_client_endpoint_cases.py for the awsJson models.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import pytest
from smithy_python.model import Model, OperationShape, ShapeId, load_model
from smithygen.emit.endpoints import operation_bindings
from smithygen_runtime import ConfigurationError, EndpointBindings
from smithygen_runtime._endpoints import EndpointResolver

from tests.conftest import require_shared, shared_dir

MODELS = {
    "bedrock-runtime-2023-09-30.json": "com.amazonaws.bedrockruntime#AmazonBedrockFrontendService",
    "lambda-2015-03-31.json": "com.amazonaws.lambda#AWSGirApiService",
    "s3-2006-03-01.json": "com.amazonaws.s3#AmazonS3",
    "secrets-manager-2017-10-17.json": "com.amazonaws.secretsmanager#secretsmanager",
    "ssm-2014-11-06.json": "com.amazonaws.ssm#AmazonSSM",
    "sts-2011-06-15.json": "com.amazonaws.sts#AWSSecurityTokenServiceV20110615",
}
UNSIGNABLE = ("sigv4a", "sigv4-s3express")


@functools.cache
def _model_json(name: str) -> Mapping[str, Any]:
    data: Mapping[str, Any] = json.loads(
        require_shared("aws-models", name).read_text(encoding="utf-8")
    )
    return data


@functools.cache
def _semantic_model(name: str) -> Model:
    return load_model(dict(_model_json(name)))


def _service_traits(name: str) -> Mapping[str, Any]:
    traits: Mapping[str, Any] = _model_json(name)["shapes"][MODELS[name]]["traits"]
    return traits


@functools.cache
def _resolver(name: str) -> EndpointResolver:
    ruleset = _service_traits(name)["smithy.rules#endpointRuleSet"]
    return EndpointResolver(lambda: ruleset)


def _cases() -> list[Any]:
    params = []
    for name in MODELS:
        if not shared_dir().joinpath("aws-models", name).exists():
            params.append(pytest.param(name, None, None, id=f"{name}-absent"))
            continue
        tests = _service_traits(name)["smithy.rules#endpointTests"]["testCases"]
        for i, case in enumerate(tests):
            stem = name.split("-20")[0]
            if "params" in case or "operationInputs" not in case:
                params.append(pytest.param(name, i, None, id=f"{stem}-{i:03d}-params"))
            for j, _ in enumerate(case.get("operationInputs", ())):
                params.append(pytest.param(name, i, j, id=f"{stem}-{i:03d}-op{j}"))
    return params


def _bind_from_params(name: str, values: Mapping[str, Any]) -> dict[str, Any]:
    resolver = _resolver(name)
    client_params = _service_traits(name).get("smithy.rules#clientContextParams", {})
    builtins, client_context, operation = {}, {}, {}
    for param, value in values.items():
        builtin = resolver.parameters.get(param)
        if builtin is not None:
            builtins[builtin] = value
        elif param in client_params:
            client_context[param] = value
        else:
            operation[param] = value
    return resolver.bind(
        builtins,
        client_context=client_context,
        bindings=EndpointBindings(static=operation),
    )


def _bind_from_operation(name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    model = _semantic_model(name)
    namespace = MODELS[name].partition("#")[0]
    op = model.expect_shape(
        ShapeId.from_string(f"{namespace}#{inputs['operationName']}"), OperationShape
    )
    bindings = operation_bindings(model, op)
    return _resolver(name).bind(
        inputs.get("builtInParams", {}),
        client_context=inputs.get("clientParams", {}),
        bindings=EndpointBindings(
            static=bindings.static, members=bindings.members, paths=bindings.paths
        ),
        wire_input=inputs.get("operationParams", {}),
    )


def _expected_signing(
    endpoint: Mapping[str, Any],
) -> tuple[str | None, str | None] | None:
    """The sigv4 entry's (name, region); None when only unsignable schemes are listed."""
    schemes = endpoint.get("properties", {}).get("authSchemes", [])
    for scheme in schemes:
        if scheme["name"] == "sigv4":
            return scheme.get("signingName"), scheme.get("signingRegion")
    return None if schemes else (None, None)


@pytest.mark.parametrize(("model", "index", "operation_input"), _cases())
def test_endpoint_case(
    model: str, index: int | None, operation_input: int | None
) -> None:
    require_shared("aws-models", model)
    assert index is not None
    case = _service_traits(model)["smithy.rules#endpointTests"]["testCases"][index]
    if operation_input is None:
        params = _bind_from_params(model, case.get("params", {}))
    else:
        params = _bind_from_operation(model, case["operationInputs"][operation_input])
    expect = case["expect"]
    resolver = _resolver(model)
    if "error" in expect:
        with pytest.raises(ConfigurationError) as info:
            resolver.resolve(params)
        assert expect["error"] in str(info.value)
        return
    endpoint = expect["endpoint"]
    signing = _expected_signing(endpoint)
    if signing is None:
        names = [s["name"] for s in endpoint["properties"]["authSchemes"]]
        assert all(n in UNSIGNABLE for n in names), names
        with pytest.raises(ConfigurationError, match="does not support"):
            resolver.resolve(params)
        return
    resolved = resolver.resolve(params)
    assert resolved.url == endpoint["url"]
    expected_headers = {k: ",".join(v) for k, v in endpoint.get("headers", {}).items()}
    assert dict(resolved.headers) == expected_headers
    assert (resolved.signing_name, resolved.signing_region) == signing


def test_every_model_has_cases() -> None:
    counts = {}
    for name in MODELS:
        require_shared("aws-models", name)
        counts[name] = len(
            _service_traits(name)["smithy.rules#endpointTests"]["testCases"]
        )
    assert min(counts.values()) >= 20
    assert counts["s3-2006-03-01.json"] >= 300
