"""Credentials: explicit values, botocore's chain off the event loop, refresh, redaction."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from smithygen_runtime import Credentials, CredentialsError
from smithygen_runtime._credentials import CredentialsResolver

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import (
    ACCESS_KEY,
    CREDENTIALS,
    SECRET_KEY,
    SESSION_TOKEN,
    DemoClient,
    ThingNotFound,
)

MakeClient = Callable[..., DemoClient]


def test_repr_and_str_hide_secret_and_token() -> None:
    for text in (
        repr(CREDENTIALS),
        str(CREDENTIALS),
        f"{CREDENTIALS}",
        repr([CREDENTIALS]),
    ):
        assert SECRET_KEY not in text
        assert SESSION_TOKEN not in text
        assert ACCESS_KEY in text and "<redacted>" in text


@pytest.mark.parametrize(
    "args", [("", "secret"), ("AKID", ""), ("AKID", None), ("AKID", "s", 5)]
)
def test_bad_credentials_are_refused_without_echoing_them(
    args: tuple[Any, ...],
) -> None:
    with pytest.raises(CredentialsError) as info:
        Credentials(*args)
    assert "secret" not in str(info.value).replace("secret_access_key", "")


@pytest.mark.anyio
async def test_expired_explicit_credentials_are_an_error() -> None:
    old = Credentials("AKID", "s", expiry=datetime.now(UTC) - timedelta(minutes=1))
    with pytest.raises(CredentialsError, match="expired"):
        await CredentialsResolver(old, None).get()
    fresh = Credentials("AKID", "s", expiry=datetime.now(UTC) + timedelta(hours=1))
    assert await CredentialsResolver(fresh, None).get() is fresh


@pytest.mark.anyio
async def test_chain_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "envtoken")
    creds = await CredentialsResolver(None, None).get()
    assert (creds.access_key_id, creds.secret_access_key, creds.session_token) == (
        "AKIDENV",
        "envsecret",
        "envtoken",
    )


@pytest.mark.anyio
async def test_chain_reads_a_profile_of_the_shared_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "credentials").write_text(
        "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = d\n"
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n"
    )
    assert (await CredentialsResolver(None, None).get()).access_key_id == "AKIDDEF"
    creds = await CredentialsResolver(None, "dev").get()
    assert (creds.access_key_id, creds.secret_access_key) == ("AKIDDEV", "devsecret")
    with pytest.raises(CredentialsError, match="profile"):
        await CredentialsResolver(None, "nope").get()


@pytest.mark.anyio
async def test_no_credentials_anywhere_is_a_clear_error() -> None:
    with pytest.raises(CredentialsError) as info:
        await CredentialsResolver(None, None).get()
    assert "AWS_ACCESS_KEY_ID" in str(info.value) and "credentials=" in str(info.value)


@pytest.mark.anyio
async def test_no_credentials_fails_the_call_before_sending(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(json_response(200, {}))
    async with make_client(recorder, credentials=None) as client:
        with pytest.raises(CredentialsError):
            await client.get_thing()
    assert recorder.requests == []


class SlowRefreshingSource:
    """Stands in for botocore's RefreshableCredentials: a blocking refresh."""

    def __init__(self, block: float) -> None:
        self.block = block
        self.refreshes = 0
        self.stale = True
        self.threads: set[int] = set()
        self.lock = threading.Lock()

    def refresh_needed(self) -> bool:
        return self.stale

    def get_frozen_credentials(self) -> Any:
        self.threads.add(threading.get_ident())
        time.sleep(self.block)  # blocking, as STS/IMDS calls are
        with self.lock:
            self.refreshes += 1
            self.stale = False
        from botocore.credentials import ReadOnlyCredentials

        return ReadOnlyCredentials(f"AKID{self.refreshes}", "s", "t")


@pytest.mark.anyio
async def test_refresh_runs_in_a_thread_once_for_concurrent_callers() -> None:
    resolver = CredentialsResolver(None, None)
    source = SlowRefreshingSource(block=0.3)
    resolver._source = source
    ticks = 0
    results: list[Credentials] = []

    async def ticker() -> None:
        nonlocal ticks
        while len(results) < 10:
            ticks += 1
            await anyio.sleep(0.01)

    async def caller() -> None:
        results.append(await resolver.get())

    async with anyio.create_task_group() as tg:
        tg.start_soon(ticker)
        for _ in range(10):
            tg.start_soon(caller)

    assert source.refreshes == 1
    assert {c.access_key_id for c in results} == {"AKID1"}
    assert threading.get_ident() not in source.threads
    # The loop kept running while the provider blocked for 0.3 s.
    assert ticks >= 10
    # Refresh again once the source says it is due.
    source.stale = True
    resolver._next_check = 0
    assert (await resolver.get()).access_key_id == "AKID2"


@pytest.mark.anyio
async def test_provider_failure_becomes_credentials_error_without_details() -> None:
    class Broken:
        def refresh_needed(self) -> bool:
            return True

        def get_frozen_credentials(self) -> Any:
            raise RuntimeError(f"response had {SECRET_KEY}")

    resolver = CredentialsResolver(None, None)
    resolver._source = Broken()
    with pytest.raises(CredentialsError) as info:
        await resolver.get()
    assert SECRET_KEY not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.anyio
async def test_debug_logging_of_a_whole_call_leaks_no_secret(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and botocore included
    signatures: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        signatures.append(request.headers["Authorization"].split("Signature=")[1])
        if len(signatures) == 1:
            return json_response(503, {"__type": "ThrottlingException"})
        if len(signatures) == 2:
            return json_response(400, {"__type": "ThingNotFound", "message": "nope"})
        return json_response(200, {"Items": []})

    async with make_client(handler) as client:
        with pytest.raises(ThingNotFound) as info:
            await client.get_thing(name="x")
        await client.get_thing()
        shown = [
            repr(client),
            repr(info.value),
            str(info.value),
            repr(client._credentials),
        ]

    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "GetThing attempt 1/3" in logged and "<redacted>" in logged
    for secret in (SECRET_KEY, SESSION_TOKEN, *signatures):
        assert secret not in logged
        assert all(secret not in text for text in shown)


@pytest.mark.anyio
async def test_botocore_refreshable_credentials_refresh_before_expiry() -> None:
    from botocore.credentials import RefreshableCredentials

    refreshes: list[int] = []

    def metadata(minutes_left: int) -> dict[str, str]:
        expiry = datetime.now(UTC) + timedelta(minutes=minutes_left)
        return {
            "access_key": f"AKIDREFRESH{len(refreshes)}",
            "secret_key": "refreshed-secret",
            "token": "refreshed-token",
            "expiry_time": expiry.isoformat(),
        }

    def refresh() -> dict[str, str]:
        refreshes.append(threading.get_ident())
        return metadata(60)

    # Five minutes left: inside botocore's refresh window, so the first use
    # refreshes (in a worker thread) before handing anything out.
    source = RefreshableCredentials.create_from_metadata(metadata(5), refresh, "test")
    resolver = CredentialsResolver(None, None)
    resolver._source = source
    first = await resolver.get()
    assert first.access_key_id == "AKIDREFRESH1"  # the refreshed key, not the stale one
    assert len(refreshes) == 1 and refreshes[0] != threading.get_ident()
    resolver._next_check = 0
    assert await resolver.get() is first  # an hour left: no refresh
    assert len(refreshes) == 1
