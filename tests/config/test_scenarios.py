"""The user's AWS configuration, honoured as botocore honours it: a scenario table.

Each scenario writes its own config and credentials files and environment,
then makes one call with botocore (``Session(profile=...).create_client("ssm")``)
and one with ``SSMClient()`` / ``SSMClient(profile=...)``, and compares what
reached the loopback servers: which endpoint (or, for the endpoints the rules
pick, which host a client asked the proxy to CONNECT to), how many attempts,
the SigV4 scope's region and access key, the User-Agent's ``app/`` part, and
whether TLS verified with the configured CA. Nothing of our client's resolved
values is read back; each row also states what should be seen, so botocore
and this client cannot agree on a wrong answer unnoticed.

Where the two differ on purpose (AWS_REGION; invalid values, which we refuse)
the tests at the end say so explicitly.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import anyio
import pytest
import trustme
from smithygen_runtime import (
    ConfigurationError,
    ServiceError,
    SmithyGenError,
    TransportError,
)
from ssm_inventory import SSMClient

from tests.config.conftest import PROXY_VARIABLES
from tests.config.servers import RecordingServer, RefusingProxy
from tests.conftest import isolate_aws_environment

RULES_HOST = "CONNECT ssm.us-east-1.amazonaws.com:443"


DEV_ENDPOINT = "[profile dev]\nendpoint_url = {A}\n"
# botocore skips the environment's keys when a profile is named explicitly
# (argument or not), so every profile the scenarios use has keys of its own.
PROFILE_CREDENTIALS = "".join(
    f"[{name}]\naws_access_key_id = AKIDPROFILE{name.upper()}\n"
    "aws_secret_access_key = secret-from-file\n"
    for name in ("default", "dev", "other")
)


@dataclass(frozen=True)
class Scenario:
    """One row: files, environment and profile argument, and what must be seen.

    ``{A}``, ``{B}`` (plain HTTP servers), ``{TLS}`` (HTTPS, certificate from
    a CA no client trusts by default), ``{CA}`` (that CA's PEM file) and
    ``{DIR}`` (the scenario's folder) are filled in the texts. An environment
    value of None removes the variable.
    """

    name: str
    env: Mapping[str, str | None] = field(default_factory=dict)
    config: str = ""
    credentials: str = PROFILE_CREDENTIALS
    profile: str | None = None
    status: int = 200
    # What must reach the servers: {server label or CONNECT line: count}.
    hits: Mapping[str, int] = field(default_factory=dict)
    region: str | None = None
    access_key: str | None = None
    app: str | None = None
    outcome: str = "ok"
    handshakes: int | None = None
    # A deliberate difference: botocore's count of TLS handshakes, where ours
    # (``handshakes``) differs on purpose.
    botocore_handshakes: int | None = None


@dataclass(frozen=True)
class Observed:
    hits: Mapping[str, int]
    region: str | None
    access_key: str | None
    app: str | None
    outcome: str
    handshakes: int


def S(name: str, **kw: object) -> Scenario:
    return Scenario(name, **kw)  # type: ignore[arg-type]


SCENARIOS = [
    # --- endpoint: AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL, services, profile ---
    S("AWS_ENDPOINT_URL_SSM", env={"AWS_ENDPOINT_URL_SSM": "{A}"}, hits={"A": 1}),
    S("AWS_ENDPOINT_URL", env={"AWS_ENDPOINT_URL": "{A}"}, hits={"A": 1}),
    S(
        "AWS_ENDPOINT_URL_SSM over AWS_ENDPOINT_URL",
        env={"AWS_ENDPOINT_URL_SSM": "{A}", "AWS_ENDPOINT_URL": "{B}"},
        hits={"A": 1},
    ),
    S(
        "profile endpoint_url, profile argument",
        config=DEV_ENDPOINT,
        profile="dev",
        hits={"A": 1},
    ),
    S(
        "profile endpoint_url, AWS_PROFILE",
        config=DEV_ENDPOINT,
        env={"AWS_PROFILE": "dev"},
        hits={"A": 1},
    ),
    S(
        "default profile endpoint_url",
        config="[default]\nendpoint_url = {A}\n",
        hits={"A": 1},
    ),
    S(
        "services section over the profile's endpoint_url",
        config=(
            "[profile dev]\nendpoint_url = {B}\nservices = local\n"
            "[services local]\nssm =\n  endpoint_url = {A}\n"
        ),
        profile="dev",
        hits={"A": 1},
    ),
    S(
        "services section naming another service only",
        config=(
            "[profile dev]\nendpoint_url = {B}\nservices = local\n"
            "[services local]\ndynamodb =\n  endpoint_url = {A}\n"
        ),
        profile="dev",
        hits={"B": 1},
    ),
    S(
        "AWS_ENDPOINT_URL over the services section",
        config=(
            "[profile dev]\nservices = local\n"
            "[services local]\nssm =\n  endpoint_url = {A}\n"
        ),
        env={"AWS_ENDPOINT_URL": "{B}"},
        profile="dev",
        hits={"B": 1},
    ),
    S(
        "AWS_ENDPOINT_URL over the profile's endpoint_url",
        config=DEV_ENDPOINT,
        env={"AWS_ENDPOINT_URL": "{B}"},
        profile="dev",
        hits={"B": 1},
    ),
    S(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignores variables and profile",
        config=DEV_ENDPOINT,
        env={"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "{B}"},
        profile="dev",
        hits={RULES_HOST: 3},
        outcome="transport error",
    ),
    S(
        "ignore_configured_endpoint_urls in the profile",
        config="[profile dev]\nendpoint_url = {A}\nignore_configured_endpoint_urls = true\n",
        profile="dev",
        hits={RULES_HOST: 3},
        outcome="transport error",
    ),
    # --- region ---
    S(
        "region from the profile",
        config="[profile dev]\nregion = eu-west-1\n",
        env={"AWS_DEFAULT_REGION": None, "AWS_ENDPOINT_URL": "{A}"},
        profile="dev",
        hits={"A": 1},
        region="eu-west-1",
    ),
    S(
        "AWS_DEFAULT_REGION over the profile's region",
        config="[profile dev]\nregion = eu-west-1\n",
        env={"AWS_DEFAULT_REGION": "ap-south-1", "AWS_ENDPOINT_URL": "{A}"},
        profile="dev",
        hits={"A": 1},
        region="ap-south-1",
    ),
    S(
        "the region picks the rules' endpoint",
        env={"AWS_DEFAULT_REGION": "eu-central-1"},
        hits={"CONNECT ssm.eu-central-1.amazonaws.com:443": 3},
        outcome="transport error",
    ),
    # --- FIPS and dual-stack ---
    S(
        "use_fips_endpoint in the profile",
        config="[profile dev]\nuse_fips_endpoint = true\n",
        profile="dev",
        hits={"CONNECT ssm-fips.us-east-1.amazonaws.com:443": 3},
        outcome="transport error",
    ),
    S(
        "AWS_USE_FIPS_ENDPOINT",
        env={"AWS_USE_FIPS_ENDPOINT": "true"},
        hits={"CONNECT ssm-fips.us-east-1.amazonaws.com:443": 3},
        outcome="transport error",
    ),
    S(
        "AWS_USE_FIPS_ENDPOINT=false over the profile's true",
        config="[profile dev]\nuse_fips_endpoint = true\n",
        env={"AWS_USE_FIPS_ENDPOINT": "false"},
        profile="dev",
        hits={RULES_HOST: 3},
        outcome="transport error",
    ),
    S(
        "AWS_USE_DUALSTACK_ENDPOINT",
        env={"AWS_USE_DUALSTACK_ENDPOINT": "true"},
        hits={"CONNECT ssm.us-east-1.api.aws:443": 3},
        outcome="transport error",
    ),
    S(
        "use_dualstack_endpoint in the profile",
        config="[profile dev]\nuse_dualstack_endpoint = true\n",
        profile="dev",
        hits={"CONNECT ssm.us-east-1.api.aws:443": 3},
        outcome="transport error",
    ),
    # --- retries: the server answers 500 to every attempt ---
    S(
        "standard mode by default",
        env={"AWS_ENDPOINT_URL": "{A}"},
        status=500,
        hits={"A": 3},
        outcome="service error",
    ),
    S(
        "AWS_MAX_ATTEMPTS=1",
        env={"AWS_ENDPOINT_URL": "{A}", "AWS_MAX_ATTEMPTS": "1"},
        status=500,
        hits={"A": 1},
        outcome="service error",
    ),
    S(
        "max_attempts in the profile",
        config="[profile dev]\nmax_attempts = 2\n",
        env={"AWS_ENDPOINT_URL": "{A}"},
        profile="dev",
        status=500,
        hits={"A": 2},
        outcome="service error",
    ),
    S(
        "AWS_MAX_ATTEMPTS over the profile's max_attempts",
        config="[profile dev]\nmax_attempts = 2\n",
        env={"AWS_ENDPOINT_URL": "{A}", "AWS_MAX_ATTEMPTS": "4"},
        profile="dev",
        status=500,
        hits={"A": 4},
        outcome="service error",
    ),
    S(
        "legacy mode from the profile: 5 attempts",
        config="[profile dev]\nretry_mode = legacy\n",
        env={"AWS_ENDPOINT_URL": "{A}"},
        profile="dev",
        status=500,
        hits={"A": 5},
        outcome="service error",
    ),
    S(
        "legacy mode with AWS_MAX_ATTEMPTS",
        env={
            "AWS_ENDPOINT_URL": "{A}",
            "AWS_RETRY_MODE": "legacy",
            "AWS_MAX_ATTEMPTS": "2",
        },
        status=500,
        hits={"A": 2},
        outcome="service error",
    ),
    S(
        "AWS_RETRY_MODE over the profile's retry_mode",
        config="[profile dev]\nretry_mode = legacy\n",
        env={"AWS_ENDPOINT_URL": "{A}", "AWS_RETRY_MODE": "standard"},
        profile="dev",
        status=500,
        hits={"A": 3},
        outcome="service error",
    ),
    S(
        "adaptive mode",
        env={"AWS_ENDPOINT_URL": "{A}", "AWS_RETRY_MODE": "adaptive"},
        status=500,
        hits={"A": 3},
        outcome="service error",
    ),
    # --- TLS with a CA of the scenario's own ---
    S(
        "AWS_CA_BUNDLE",
        env={"AWS_ENDPOINT_URL": "{TLS}", "AWS_CA_BUNDLE": "{CA}"},
        hits={"TLS": 1},
        handshakes=1,
    ),
    S(
        "ca_bundle in the profile",
        config="[profile dev]\nca_bundle = {CA}\nendpoint_url = {TLS}\n",
        profile="dev",
        hits={"TLS": 1},
        handshakes=1,
    ),
    S(
        "AWS_CA_BUNDLE over the profile's ca_bundle",
        config="[profile dev]\nca_bundle = {DIR}/missing.pem\nendpoint_url = {TLS}\n",
        env={"AWS_CA_BUNDLE": "{CA}"},
        profile="dev",
        hits={"TLS": 1},
        handshakes=1,
    ),
    S(
        "no CA bundle: the certificate is refused",
        env={"AWS_ENDPOINT_URL": "{TLS}"},
        hits={},
        # botocore retries a refused certificate as a transient connection
        # error (3 handshakes); the same certificate fails every time, so we
        # do not retry it (issue 16).
        handshakes=1,
        botocore_handshakes=3,
        outcome="transport error",
    ),
    # --- User-Agent app id ---
    S(
        "AWS_SDK_UA_APP_ID",
        env={"AWS_ENDPOINT_URL": "{A}", "AWS_SDK_UA_APP_ID": "inventory-job"},
        hits={"A": 1},
        app="inventory-job",
    ),
    S(
        "sdk_ua_app_id in the profile",
        config="[profile dev]\nsdk_ua_app_id = nightly#2\n",
        env={"AWS_ENDPOINT_URL": "{A}"},
        profile="dev",
        hits={"A": 1},
        app="nightly#2",
    ),
    S(
        "AWS_SDK_UA_APP_ID over the profile's sdk_ua_app_id",
        config="[profile dev]\nsdk_ua_app_id = from-profile\n",
        env={"AWS_ENDPOINT_URL": "{A}", "AWS_SDK_UA_APP_ID": "from-env"},
        profile="dev",
        hits={"A": 1},
        app="from-env",
    ),
    # --- which files and which profile ---
    S(
        "AWS_CONFIG_FILE names another file",
        env={"AWS_CONFIG_FILE": "{DIR}/elsewhere.ini", "AWS_PROFILE": "dev"},
        config="[profile dev]\nendpoint_url = {B}\n",
        hits={"B": 1},
    ),
    S(
        "credentials of the profile from AWS_SHARED_CREDENTIALS_FILE",
        credentials="[dev]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = s3cr3t\n",
        config=DEV_ENDPOINT,
        env={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
        profile="dev",
        hits={"A": 1},
        access_key="AKIDFROMFILE",
    ),
    S(
        "the profile argument over AWS_PROFILE",
        config="[profile dev]\nendpoint_url = {A}\n[profile other]\nendpoint_url = {B}\n",
        env={"AWS_PROFILE": "other"},
        profile="dev",
        hits={"A": 1},
    ),
    S(
        "AWS_DEFAULT_PROFILE over AWS_PROFILE (botocore's order)",
        config="[profile dev]\nendpoint_url = {A}\n[profile other]\nendpoint_url = {B}\n",
        env={"AWS_PROFILE": "other", "AWS_DEFAULT_PROFILE": "dev"},
        hits={"A": 1},
    ),
    S(
        "AWS_PROFILE over the default profile",
        config="[default]\nendpoint_url = {B}\n[profile dev]\nendpoint_url = {A}\n",
        env={"AWS_PROFILE": "dev"},
        hits={"A": 1},
    ),
]


@dataclass
class Servers:
    a: RecordingServer
    b: RecordingServer
    tls: RecordingServer
    proxy: RefusingProxy
    ca_file: Path

    def all(self) -> list[RecordingServer]:
        return [self.a, self.b, self.tls]

    def reset(self, status: int) -> None:
        for server in self.all():
            server.reset(status)
        self.proxy.reset()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    ca = trustme.CA()
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    tls = ca.issue_cert("127.0.0.1", "localhost")
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.configure_cert(context)
    running = Servers(
        a=RecordingServer("A").start(),
        b=RecordingServer("B").start(),
        tls=RecordingServer("TLS", tls=context).start(),
        proxy=RefusingProxy().start(),
        ca_file=ca_file,
    )
    yield running
    for server in running.all():
        server.stop()
    running.proxy.stop()


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries without waiting, in both clients: the counts are what matters.

    botocore's legacy mode and this client draw their jitter from
    random.random; botocore's standard mode bound it at import.
    """
    from botocore.retries import standard

    monkeypatch.setattr(random, "random", lambda: 0.0)
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda *_: 0.0)


def _prepare(
    scenario: Scenario, servers: Servers, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    isolate_aws_environment(monkeypatch, home)
    for name in (*PROXY_VARIABLES, "AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    fill = {
        "{A}": servers.a.url,
        "{B}": servers.b.url,
        "{TLS}": servers.tls.url,
        "{CA}": str(servers.ca_file),
        "{DIR}": str(home),
    }

    def filled(text: str) -> str:
        for key, value in fill.items():
            text = text.replace(key, value)
        return text

    env: dict[str, str | None] = {
        "AWS_ACCESS_KEY_ID": "AKIDFROMENV",
        "AWS_SECRET_ACCESS_KEY": "secret-from-env",
        "AWS_DEFAULT_REGION": "us-east-1",
        # Requests for real AWS hosts go to the refusing proxy; loopback does not.
        "HTTPS_PROXY": servers.proxy.url,
        "NO_PROXY": "127.0.0.1,localhost",
        **scenario.env,
    }
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, filled(value))
    config_path = Path(filled(str(env.get("AWS_CONFIG_FILE") or home / "config")))
    config_path.write_text(filled(scenario.config))
    (home / "credentials").write_text(filled(scenario.credentials))
    servers.reset(scenario.status)


_SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/")
_APP = re.compile(r"(?:^| )app/(\S+)")


def _observe(servers: Servers, outcome: str) -> Observed:
    hits = {s.label: len(s.requests) for s in servers.all() if s.requests}
    for target in servers.proxy.targets:
        hits[target] = hits.get(target, 0) + 1
    first = next((s.requests[0] for s in servers.all() if s.requests), {})
    scope = _SCOPE.search(first.get("authorization", ""))
    app = _APP.search(first.get("user-agent", ""))
    return Observed(
        hits=hits,
        region=scope.group(2) if scope else None,
        access_key=scope.group(1) if scope else None,
        app=app.group(1) if app else None,
        outcome=outcome,
        handshakes=servers.tls.connections,
    )


def _call_botocore(scenario: Scenario) -> str:
    import botocore.exceptions
    import botocore.session

    session = botocore.session.Session(profile=scenario.profile)
    try:
        client = session.create_client("ssm")
    except botocore.exceptions.BotoCoreError:
        return "configuration error"
    try:
        client.describe_inventory_deletions()
    except botocore.exceptions.ClientError:
        return "service error"
    except (
        botocore.exceptions.ConnectionError,
        botocore.exceptions.HTTPClientError,
    ):
        return "transport error"
    finally:
        client.close()
    return "ok"


async def _call_ours(scenario: Scenario) -> str:
    try:
        client = (
            SSMClient()
            if scenario.profile is None
            else SSMClient(profile=scenario.profile)
        )
        async with client:
            await client.describe_inventory_deletions()
    except ServiceError:
        return "service error"
    except TransportError:
        return "transport error"
    except ConfigurationError:
        return "configuration error"
    except SmithyGenError as error:
        return f"other error: {error}"
    return "ok"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_reaches_the_servers_as_botocore_does(
    scenario: Scenario,
    servers: Servers,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _prepare(scenario, servers, monkeypatch, tmp_path)
    botocore_seen = _observe(servers, _call_botocore(scenario))
    _prepare(scenario, servers, monkeypatch, tmp_path)
    ours_seen = _observe(servers, anyio.run(_call_ours, scenario))

    if scenario.botocore_handshakes is not None:
        assert botocore_seen.handshakes == scenario.botocore_handshakes
        botocore_seen = replace(botocore_seen, handshakes=ours_seen.handshakes)
    assert ours_seen == botocore_seen
    assert ours_seen.hits == scenario.hits
    assert ours_seen.outcome == scenario.outcome
    if scenario.hits and not scenario.hits.keys() & {"A", "B", "TLS"}:
        return  # refused at the proxy: nothing signed to look at
    if scenario.hits:
        assert ours_seen.region == (scenario.region or "us-east-1")
    if scenario.access_key is not None:
        assert ours_seen.access_key == scenario.access_key
    assert ours_seen.app == scenario.app
    if scenario.handshakes is not None:
        assert ours_seen.handshakes == scenario.handshakes
