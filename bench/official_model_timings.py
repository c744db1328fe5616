"""``python -m bench.official_model_timings``: the largest official models, stage by stage.

For each model of ../shared/aws-models (or $SMITHYGEN_SHARED), largest first:
loading the JSON AST, writing it as IDL, loading that IDL back (with its MB/s),
and generating the package (the whole client for awsJson services, the model
classes alone for the others). Wall-clock seconds, best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smithygen.idl import load_files
from smithygen.idl.writer import write_idl
from smithygen.models_check import SUPPORTED_PROTOCOLS, services_of

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SMITHYGEN_SHARED", ROOT.parent / "shared"))


def _best(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def _generate(path: Path, out: Path) -> str:
    from smithygen.generate import generate
    from smithygen.models_only import generate_models_only

    service, protocol = services_of(json.loads(path.read_text(encoding="utf-8")))[0]
    if protocol in [p.partition("#")[2] for p in SUPPORTED_PROTOCOLS]:
        generate([path], service=service, package="bench_client", out=out)
        return "client"
    generate_models_only([path], service=service, package="bench_models", out=out)
    return "models only"


def time_model(path: Path, repeat: int) -> list[str]:
    size = path.stat().st_size / 1e6
    load_s, model = _best(repeat, lambda: load_files([path]))
    write_s, documents = _best(repeat, lambda: write_idl(model))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "idl"
        folder.mkdir()
        for namespace, text in documents.items():
            (folder / f"{namespace}.smithy").write_text(text, encoding="utf-8")
        idl_mb = sum(len(t.encode()) for t in documents.values()) / 1e6
        idl_s, again = _best(repeat, lambda: load_files([folder]))
        gen_s, kind = _best(repeat, lambda: _generate(path, Path(tmp) / "out"))
    same = "equal" if again == model else "DIFFERENT"
    return [
        f"{path.name}: {size:.2f} MB JSON, {len(model['shapes'])} shapes",
        f"  load JSON AST     {load_s:6.3f} s",
        f"  write IDL         {write_s:6.3f} s ({idl_mb:.2f} MB)",
        f"  load IDL back     {idl_s:6.3f} s -> {idl_mb / idl_s:.2f} MB/s ({same})",
        f"  generate ({kind}) {gen_s:6.3f} s",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=2, help="how many of the largest")
    args = parser.parse_args()
    models = sorted(
        (SHARED / "aws-models").glob("*.json"), key=lambda p: -p.stat().st_size
    )
    if not models:
        raise SystemExit(f"no models in {SHARED / 'aws-models'}")
    for path in models[: args.top]:
        print("\n".join(time_model(path, args.repeat)))


if __name__ == "__main__":
    main()
