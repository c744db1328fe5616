"""``python -m bench.idl_throughput``: MB of Smithy IDL per second into a JSON AST.

The input is real IDL replicated into distinct namespaces until it is
several MB: every case of Smithy's valid loader corpus (each file given its
own namespace per copy, since many cases share ``smithy.example``), the
trait-definition models (aws.api, smithy.rules, ...) and the awsJson 1.1
protocol tests (renamed namespace by namespace, as they refer to each
other), plus ``model/ssm.smithy``.  Each copy is one file, as a user's
multi-file model would be.  The timed call is ``smithygen.idl.load_files``
(parse, resolve, merge, check); printing the AST (``dumps_ast``, what
``smithygen ast`` does) is timed apart.

Reference data comes from ../shared (or $SMITHYGEN_SHARED); without it only
``model/ssm.smithy`` is replicated.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from smithygen.idl import dumps_ast, load_files

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SMITHYGEN_SHARED", ROOT.parent / "shared"))
_NAMESPACE_RE = re.compile(r"^namespace\s+([\w.]+)", re.M)


def _rename(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    names = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z0-9_.])(" + "|".join(map(re.escape, names)) + r")(?=[#\s])"
    )
    return pattern.sub(lambda match: mapping[match.group(1)], text)


def _sources() -> tuple[list[str], list[str], Path | None]:
    """(files renamed alone, files renamed together, extra JSON AST to load)."""
    alone: list[str] = []
    together: list[str] = []
    shared_json = None
    valid = SHARED / "smithy" / "idl-valid"
    if valid.is_dir():
        alone = [path.read_text("utf-8") for path in sorted(valid.rglob("*.smithy"))]
        shared_json = valid / "__shared.json"
    bundle = [
        *sorted((SHARED / "smithy" / "traits").glob("*.smithy")),
        *sorted((SHARED / "smithy" / "protocol-tests").rglob("*.smithy")),
    ]
    together = [
        path.read_text("utf-8") for path in bundle if path.name != "prelude.smithy"
    ]
    together.append((ROOT / "model" / "ssm.smithy").read_text("utf-8"))
    return alone, together, shared_json


def build_input(directory: Path, target_bytes: int) -> list[Path]:
    """Write copies of the sources, in distinct namespaces, until ``target_bytes``."""
    alone, together, shared_json = _sources()
    bundle_namespaces = {
        name for text in together for name in _NAMESPACE_RE.findall(text)
    } - {"smithy.api"}
    paths: list[Path] = [shared_json] if shared_json else []
    written = 0
    copy = 0
    while written < target_bytes:
        texts = [
            _rename(text, {name: f"{name}.v{index}.c{copy}"})
            for index, text in enumerate(alone)
            for name in _NAMESPACE_RE.findall(text)[:1]
        ]
        mapping = {name: f"{name}.c{copy}" for name in bundle_namespaces}
        texts.extend(_rename(text, mapping) for text in together)
        body = [text for text in texts if text]
        path = directory / f"copy{copy}"
        path.mkdir()
        for index, text in enumerate(body):
            file = path / f"{index}.smithy"
            file.write_text(text, "utf-8")
            paths.append(file)
            written += len(text.encode("utf-8"))
        copy += 1
    return paths


def main() -> None:
    """Build the input, time the loader, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="input size in MB")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (best kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        paths = build_input(Path(scratch), int(args.mb * 1_000_000))
        idl_bytes = sum(p.stat().st_size for p in paths if p.suffix == ".smithy")
        timings = []
        cpu_timings = []
        for _ in range(args.repeat):
            start, cpu_start = time.perf_counter(), time.process_time()
            model = load_files(paths)
            timings.append(time.perf_counter() - start)
            cpu_timings.append(time.process_time() - cpu_start)
        start = time.perf_counter()
        printed = dumps_ast(model)
        dump_seconds = time.perf_counter() - start
    best = min(timings)
    megabytes = idl_bytes / 1_000_000
    print(f"input: {megabytes:.2f} MB of IDL in {len(paths)} files")
    print(f"shapes: {len(model['shapes'])}, printed AST: {len(printed) / 1e6:.2f} MB")
    cpu = min(cpu_timings)
    print(
        f"load_files: best {best:.3f} s of {args.repeat} -> {megabytes / best:.2f} MB/s"
    )
    # CPU time is steadier than wall time on a shared machine.
    print(f"load_files CPU time: best {cpu:.3f} s -> {megabytes / cpu:.2f} MB/s")
    print(
        f"with printing (dumps_ast): {best + dump_seconds:.3f} s -> "
        f"{megabytes / (best + dump_seconds):.2f} MB/s"
    )


if __name__ == "__main__":
    main()
