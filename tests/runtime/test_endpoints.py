"""Endpoint resolution through a client: the rule set evaluated by botocore's engine,
plus the explicit, environment and profile settings that come before the rules.

SSM's own ``smithy.rules#endpointTests`` run through the generated client in
tests/equivalence/test_ssm_endpoint_rules.py.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from smithygen_runtime import ConfigurationError
from smithygen_runtime._endpoints import EndpointResolver
from smithygen_runtime._settings import environment_endpoint_url

from tests.conftest import require_shared, shared_dir
from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import CREDENTIALS, DemoClient, make_service

SSM_MODEL = ("aws-models", "ssm-2014-11-06.json")
SSM_SERVICE = "com.amazonaws.ssm#AmazonSSM"


@functools.cache
def _ssm_traits() -> Mapping[str, Any]:
    model = json.loads(require_shared(*SSM_MODEL).read_text(encoding="utf-8"))
    traits: Mapping[str, Any] = model["shapes"][SSM_SERVICE]["traits"]
    return traits


def ssm_ruleset() -> Mapping[str, Any]:
    ruleset: Mapping[str, Any] = _ssm_traits()["smithy.rules#endpointRuleSet"]
    return ruleset


def _cases_without_region() -> list[Any]:
    if not shared_dir().joinpath(*SSM_MODEL).exists():
        return [pytest.param(None, id="model-absent")]
    cases = _ssm_traits()["smithy.rules#endpointTests"]["testCases"]
    return [
        pytest.param(case, id=case["documentation"])
        for case in cases
        if "Region" not in case.get("params", {})
    ]


@pytest.mark.parametrize("case", _cases_without_region())
def test_ssm_rule_cases_without_a_region(case: Mapping[str, Any] | None) -> None:
    """The rule outcome of the cases a client cannot be started for (it needs a
    region to sign), through the resolver a client's router uses."""
    require_shared(*SSM_MODEL)
    assert case is not None
    params = case.get("params", {})
    resolver = EndpointResolver(ssm_ruleset)
    bound = resolver.bind(
        {
            "AWS::UseFIPS": params.get("UseFIPS", False),
            "AWS::UseDualStack": params.get("UseDualStack", False),
            "SDK::Endpoint": params.get("Endpoint"),
        }
    )
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(ConfigurationError, match=expect["error"]):
            resolver.resolve(bound)
    else:
        assert resolver.resolve(bound).url == expect["endpoint"]["url"]


def test_ssm_has_endpoint_cases() -> None:
    require_shared(*SSM_MODEL)
    assert len(_ssm_traits()["smithy.rules#endpointTests"]["testCases"]) >= 40


class SsmRulesClient(DemoClient):
    _service = make_service(ruleset=ssm_ruleset)


async def _sent_url(cls: type[DemoClient], **options: Any) -> httpx.URL:
    """The URL of the request a new client sends for one call."""
    recorder = Recorder(json_response(200, {}))
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with cls(credentials=CREDENTIALS, http_client=http, **options) as client:
        await client.get_thing()
    await http.aclose()
    (request,) = recorder.requests
    return request.url


@pytest.mark.anyio
async def test_client_resolves_its_endpoint_from_the_rules() -> None:
    require_shared(*SSM_MODEL)
    url = await _sent_url(SsmRulesClient, region="eu-west-1")
    assert (url.scheme, url.host, url.raw_path) == (
        "https",
        "ssm.eu-west-1.amazonaws.com",
        b"/",
    )
    fips = await _sent_url(SsmRulesClient, region="us-east-1", use_fips=True)
    assert fips.host == "ssm-fips.us-east-1.amazonaws.com"
    dual = await _sent_url(SsmRulesClient, region="us-east-1", use_dual_stack=True)
    assert dual.host == "ssm.us-east-1.api.aws"


def _closed_ruleset() -> Mapping[str, Any]:
    return {
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region", "required": False},
            "UseFIPS": {"type": "Boolean", "required": True, "default": False},
            "UseDualStack": {"type": "Boolean", "required": True, "default": False},
            "Endpoint": {"type": "String", "required": False},
        },
        "rules": [{"type": "error", "conditions": [], "error": "Nope: region closed"}],
    }


class ClosedRulesClient(DemoClient):
    _service = make_service(ruleset=_closed_ruleset)


@pytest.mark.anyio
async def test_rule_set_errors_surface_on_first_call() -> None:
    client = ClosedRulesClient(region="us-east-1", credentials=CREDENTIALS)
    with pytest.raises(ConfigurationError, match="Nope: region closed"):
        await client.get_thing()


def _missing_ruleset() -> Mapping[str, Any]:
    raise FileNotFoundError("endpoint_rules.json")


class MissingRulesClient(DemoClient):
    _service = make_service(ruleset=_missing_ruleset)


class EmptyRulesClient(DemoClient):
    _service = make_service(ruleset=lambda: {"version": "1.0"})


@pytest.mark.anyio
@pytest.mark.parametrize("cls", [MissingRulesClient, EmptyRulesClient])
async def test_unloadable_rule_set_is_a_configuration_error(
    cls: type[DemoClient],
) -> None:
    client = cls(region="us-east-1", credentials=CREDENTIALS)
    with pytest.raises(ConfigurationError, match="could not be loaded"):
        await client.get_thing()


@pytest.mark.parametrize("flag", ["use_fips", "use_dual_stack"])
def test_fips_or_dual_stack_with_custom_endpoint_is_refused(flag: str) -> None:
    require_shared(*SSM_MODEL)
    options: dict[str, Any] = {flag: True}
    for cls in (SsmRulesClient, DemoClient):  # with and without a rule set
        with pytest.raises(ConfigurationError, match="custom endpoint"):
            cls(region="us-east-1", endpoint_url="https://example.com", **options)


@pytest.mark.anyio
@pytest.mark.parametrize("flag", ["use_fips", "use_dual_stack"])
async def test_fips_with_endpoint_from_environment_is_refused_at_set_up(
    monkeypatch: pytest.MonkeyPatch, flag: str
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://example.com")
    options: dict[str, Any] = {flag: True}
    client = DemoClient(region="us-east-1", credentials=CREDENTIALS, **options)
    with pytest.raises(ConfigurationError, match="custom endpoint") as info:
        await client.resolve_configuration()
    assert "environment variable AWS_ENDPOINT_URL" in str(info.value)
    assert f"{flag} from argument" in str(info.value)


@pytest.mark.anyio
async def test_fips_from_environment_with_endpoint_argument_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true")
    client = DemoClient(
        region="us-east-1", endpoint_url="https://example.com", credentials=CREDENTIALS
    )
    with pytest.raises(ConfigurationError, match="custom endpoint") as info:
        await client.resolve_configuration()
    assert "use_fips from environment variable AWS_USE_FIPS_ENDPOINT" in str(info.value)


@pytest.mark.anyio
@pytest.mark.parametrize("ignore_from", ["environment", "profile"])
async def test_fips_with_an_ignored_environment_endpoint_is_allowed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, ignore_from: str
) -> None:
    """An endpoint URL the settings ignore is no conflict: FIPS applies."""
    require_shared(*SSM_MODEL)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://example.com")
    config = tmp_path / "config"
    config.write_text(
        "[default]\nignore_configured_endpoint_urls = true\n"
        if ignore_from == "profile"
        else ""
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    if ignore_from == "environment":
        monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    url = await _sent_url(SsmRulesClient, region="us-east-1", use_fips=True)
    assert url.host == "ssm-fips.us-east-1.amazonaws.com"


@pytest.mark.anyio
async def test_environment_endpoint_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    assert environment_endpoint_url("Demo") is None
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://global.example")
    assert environment_endpoint_url("Demo") == "https://global.example"
    monkeypatch.setenv("AWS_ENDPOINT_URL_DEMO", "https://demo.example")
    assert environment_endpoint_url("Demo") == "https://demo.example"
    assert (await _sent_url(DemoClient, region="us-east-1")).host == "demo.example"
    explicit = await _sent_url(
        DemoClient, region="us-east-1", endpoint_url="https://arg.example"
    )
    assert explicit.host == "arg.example"
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    assert environment_endpoint_url("Demo") is None


def test_sdk_id_with_spaces_maps_to_underscores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://sm.example")
    assert environment_endpoint_url("Secrets Manager") == "https://sm.example"


@pytest.mark.anyio
async def test_no_rule_set_and_no_endpoint_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="endpoint_url"):
        await DemoClient(region="us-east-1").get_thing()


@pytest.mark.parametrize(
    "url", ["ftp://example.com", "not a url", "https://", "http://host:port/"]
)
def test_bad_endpoint_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError, match="endpoint"):
        DemoClient(region="us-east-1", endpoint_url=url)
