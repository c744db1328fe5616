"""``smithygen.models_check`` (``make models-check``) reports each failure and counts.

Small models of our own, so every path of the checker runs in seconds: a
client, a models-only package, a model that fails to generate, a package
mypy rejects and one that fails to import.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from smithygen.models_check import (
    ModelResult,
    Report,
    check_models,
    idl_round_trip_problem,
    main,
    model_files,
    package_name,
    services_of,
    typecheck_and_import,
)


def _model(protocol: str | None, *, member_target: str = "smithy.api#String") -> Any:
    traits = {protocol: {}} if protocol else {}
    return {
        "smithy": "2.0",
        "shapes": {
            "example.tiny#Tiny": {
                "type": "service",
                "version": "1",
                "operations": [{"target": "example.tiny#Get"}],
                "traits": traits,
            },
            "example.tiny#Get": {
                "type": "operation",
                "input": {"target": "example.tiny#GetInput"},
            },
            "example.tiny#GetInput": {
                "type": "structure",
                "members": {"Name": {"target": member_target}},
            },
        },
    }


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    (root / "json-svc" / "service" / "2020-01-01").mkdir(parents=True)
    (
        root / "json-svc" / "service" / "2020-01-01" / "json-svc-2020-01-01.json"
    ).write_text(json.dumps(_model("aws.protocols#awsJson1_0")))
    (root / "rpcjson-svc-2021-02-02.json").write_text(
        json.dumps(_model("smithy.protocols#rpcv2Json"))
    )
    (root / "broken-2022-03-03.json").write_text(
        json.dumps(
            _model("aws.protocols#awsJson1_1", member_target="example.tiny#Nope")
        )
    )
    (root / "not-a-model.json").write_text('{"name": "package.json"}')
    return root


def test_folder_report_counts_per_protocol_and_names_the_failure(
    folder: Path, tmp_path: Path
) -> None:
    paths = model_files(folder)
    assert [p.name for p in paths] == [
        "broken-2022-03-03.json",
        "json-svc-2020-01-01.json",
        "rpcjson-svc-2021-02-02.json",
    ]

    report = check_models(paths, tmp_path / "out")

    assert report.counts() == {
        "awsJson1_0": (1, 1),
        "awsJson1_1": (0, 1),
        "rpcv2Json": (1, 1),
    }
    (failed,) = report.failures
    assert failed.package == "broken"
    assert failed.failure is not None and failed.failure.startswith("generate: ")
    assert "example.tiny#Nope" in failed.failure
    kinds = {r.package: r.kind for r in report.results}
    assert kinds == {"broken": "client", "json_svc": "client", "rpcjson_svc": "models"}
    assert (tmp_path / "out" / "rpcjson_svc" / "models.py").exists()
    assert not (tmp_path / "out" / "rpcjson_svc" / "client.py").exists()


def test_cli_prints_counts_and_fails_when_any_model_fails(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([str(folder)])

    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[0].startswith(
        "FAIL broken-2022-03-03.json (example.tiny#Tiny): generate:"
    )
    assert out[1:] == [
        "awsJson1_0        1/1    passed (client)",
        "awsJson1_1        0/1    passed (client)",
        "rpcv2Json         1/1    passed (models)",
        "all               2/3    passed",
    ]


def test_cli_without_models_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path)]) == 1
    assert "no Smithy JSON AST model" in capsys.readouterr().err


def test_type_errors_and_import_errors_are_blamed_on_their_package(
    tmp_path: Path,
) -> None:
    for name, body in {
        "typed_badly": 'x: int = "not an int"\n',
        "fails_on_import": "raise RuntimeError('boom')\n",
        "fine": "x: int = 1\n",
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(body)
        (tmp_path / name / "models.py").write_text("y: int = 2\n")
    report = Report(
        [
            ModelResult(tmp_path / f"{n}.json", "s#S", "restJson1", n, kind="models")
            for n in ("typed_badly", "fails_on_import", "fine")
        ]
    )

    typecheck_and_import(report, tmp_path)

    failures = {r.package: r.failure or "" for r in report.results}
    assert failures["typed_badly"].startswith("mypy: typed_badly/__init__.py:1: error:")
    assert failures["fails_on_import"] == "import: RuntimeError: boom"
    assert failures["fine"] == ""


def test_protocol_and_package_names() -> None:
    assert services_of(_model("aws.protocols#awsQuery")) == [
        ("example.tiny#Tiny", "awsQuery")
    ]
    assert services_of(_model(None)) == [("example.tiny#Tiny", "none")]
    taken: set[str] = set()
    assert package_name(Path("secrets-manager-2017-10-17.json"), taken) == (
        "secrets_manager"
    )
    assert package_name(Path("secrets.manager.json"), taken) == "secrets_manager_"
    assert package_name(Path("1password.json"), taken) == "m_1password"


def test_a_model_the_idl_writer_loses_a_shape_of_fails_the_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smithygen.idl.writer as writer

    real = writer.write_idl

    def lossy(ast: Any) -> dict[str, str]:
        shapes = {k: v for k, v in ast["shapes"].items() if not k.endswith("GetInput")}
        return real({**ast, "shapes": shapes})

    source = tmp_path / "tiny.json"
    source.write_text(json.dumps(_model("aws.protocols#awsJson1_0")))
    assert idl_round_trip_problem(source) is None
    monkeypatch.setattr(writer, "write_idl", lossy)
    problem = idl_round_trip_problem(source)
    assert problem is not None
    assert problem.startswith("idl round trip: ")


def test_rpcv2cbor_services_get_clients_counted_under_their_default_protocol(
    tmp_path: Path,
) -> None:
    """A CBOR-only service is a client; one offering CBOR and awsJson1_0 counts
    under awsJson1_0, the protocol its client speaks by default (botocore's)."""
    root = tmp_path / "models"
    root.mkdir()
    (root / "cbor-2020-01-01.json").write_text(
        json.dumps(_model("smithy.protocols#rpcv2Cbor"))
    )
    both = _model("smithy.protocols#rpcv2Cbor")
    both["shapes"]["example.tiny#Tiny"]["traits"]["aws.protocols#awsJson1_0"] = {}
    (root / "both-2020-01-01.json").write_text(json.dumps(both))

    assert services_of(both) == [("example.tiny#Tiny", "awsJson1_0")]
    report = check_models(model_files(root), tmp_path / "out")
    assert report.counts() == {"awsJson1_0": (1, 1), "rpcv2Cbor": (1, 1)}
    assert {r.package: r.kind for r in report.results} == {
        "both": "client",
        "cbor": "client",
    }
    assert (tmp_path / "out" / "both" / "_serde_cbor.py").exists()
