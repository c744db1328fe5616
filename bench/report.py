"""``bench/results.md`` and ``bench/results.png`` from the measured samples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.runner import ALL_CONTENDERS, MAIN_POOL, POOL_VARIANTS, Results, pool_label

PAGES = 200


@dataclass(frozen=True)
class Row:
    """One measure of the main table."""

    title: str
    key: str
    metric: str
    unit: str
    scale: float  # multiplies the stored value into ``unit``
    target: str
    # (ssm_inventory, floor, aiobotocore) -> met?; None when a value is missing
    check: Callable[[float, float | None, float | None], bool] | None
    chart: bool = True  # diagnostic rows stay out of the chart


def _le(limit: float, base: float | None, value: float) -> bool | None:
    return None if base is None else value <= limit * base


def diagnostic_row(
    title: str, key: str, metric: str, scale: float = 1e3, note: str = "(diagnostic)"
) -> Row:
    """A row in milliseconds with no target, kept out of the chart."""
    return Row(title, key, metric, "ms", scale, note, None, chart=False)


# Issue 13's targets ("What must be true", item 8).
ROWS = (
    Row(
        "per call, concurrency 1",
        "startup",
        "per_call_s",
        "ms",
        1e3,
        "<= 1.15x floor and <= 0.45x aiobotocore",
        lambda v, f, a: bool(_le(1.15, f, v)) and bool(_le(0.45, a, v)),
    ),
    Row(
        "per call, concurrency 32",
        "percall_c32",
        "per_call_s",
        "ms",
        1e3,
        "<= 1.1x floor and faster than aiobotocore",
        lambda v, f, a: bool(_le(1.1, f, v)) and a is not None and v < a,
    ),
    Row(
        "pagination, per page (10,000 items)",
        "paginate",
        "walk_s",
        "ms",
        1e3 / PAGES,
        "<= 1.15x floor",
        lambda v, f, a: bool(_le(1.15, f, v)),
    ),
    diagnostic_row(
        "client CPU per call, concurrency 1",
        "startup",
        "cpu_per_call_s",
        note="(diagnostic: steadier than wall time under load)",
    ),
    diagnostic_row(
        "client CPU per call, concurrency 32", "percall_c32", "cpu_per_call_s"
    ),
    diagnostic_row(
        "client CPU per page, pagination", "paginate", "walk_cpu_s", scale=1e3 / PAGES
    ),
    Row(
        "import",
        "import",
        "import_s",
        "ms",
        1e3,
        "<= 0.35x aiobotocore",
        lambda v, f, a: bool(_le(0.35, a, v)),
    ),
    Row(
        "construct client + first call",
        "startup",
        "first_call_s",
        "ms",
        1e3,
        "<= aiobotocore",
        lambda v, f, a: bool(_le(1.0, a, v)),
    ),
    diagnostic_row("CPU of import", "import", "import_cpu_s"),
    diagnostic_row(
        "CPU of construct client + first call (every thread)",
        "startup",
        "first_call_cpu_s",
    ),
    Row(
        "longest event-loop stall (1 ms ticker)",
        "startup",
        "stall_s",
        "ms",
        1e3,
        "< 5 ms",
        lambda v, f, a: v < 5e-3,
    ),
    Row(
        "peak RSS, import + construct + 1,000 calls",
        "startup",
        "peak_rss_mb",
        "MB",
        1.0,
        "<= 0.6x aiobotocore",
        lambda v, f, a: bool(_le(0.6, a, v)),
    ),
)


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or base is None or base == 0:
        return "n/a"
    return f"{value / base:.2f}x"


def main_table(results: Results) -> list[str]:
    """The headline table: medians, ratios vs floor and aiobotocore, targets."""
    lines = [
        "| measure | floor (raw httpx) | ssm_inventory | aiobotocore | boto3 "
        "| ssm / floor | ssm / aiobotocore | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---|:---:|",
    ]
    for row in ROWS:
        values = {
            name: results.median(row.key, name, row.metric) for name in ALL_CONTENDERS
        }
        scaled = {
            n: (v * row.scale if v is not None else None) for n, v in values.items()
        }
        cells = []
        for name in ALL_CONTENDERS:
            if scaled[name] is not None:
                cells.append(f"{_fmt(scaled[name])} {row.unit}")
            elif name == "boto3" and row.key == "percall_c32":
                cells.append("sequential only")
            elif name in results.unavailable:
                cells.append("not available")
            else:
                cells.append("n/a")
        ssm, floor, aio = (
            scaled["ssm_inventory"],
            scaled["floor"],
            scaled["aiobotocore"],
        )
        if row.check is None:
            met = ""
        elif ssm is None:
            met = "not measured"
        else:
            met = "yes" if row.check(ssm, floor, aio) else "**no**"
        lines.append(
            f"| {row.title} | {' | '.join(cells)} | {_ratio(ssm, floor)} "
            f"| {_ratio(ssm, aio)} | {row.target} | {met} |"
        )
    return lines


STS_COLUMNS = (
    ("sts_floor", "floor (raw httpx + ElementTree)"),
    ("sts_client", "generated STS client"),
    ("sts_aiobotocore", "aiobotocore"),
)


S3_COLUMNS = (
    ("s3_floor", "floor (raw httpx + ElementTree)"),
    ("s3_client", "generated S3 client"),
    ("s3_aiobotocore", "aiobotocore"),
)


def sts_table(results: Results) -> list[str]:
    """The awsQuery rows: STS GetCallerIdentity per call, with ratios."""
    return _three_way_table(results, "sts", STS_COLUMNS)


def s3_table(results: Results) -> list[str]:
    """The restXml rows: S3 ListObjectsV2 (1000 keys) per call, with ratios."""
    return _three_way_table(results, "s3", S3_COLUMNS)


def _three_way_table(
    results: Results, prefix: str, columns: tuple[tuple[str, str], ...]
) -> list[str]:
    """Per-call rows at concurrency 1 and 32 of floor, client and aiobotocore."""
    c1, c32 = f"{prefix}_c1", f"{prefix}_c32"
    floor, client_name, aiobotocore = (name for name, _ in columns)
    if not any(key in results.samples for key in (c1, c32)):
        return ["Not measured in this run."]
    lines = [
        "| measure | "
        + " | ".join(title for _, title in columns)
        + " | client / floor | client / aiobotocore |",
        "|---|" + "---:|" * (len(columns) + 2),
    ]
    for title, key, metric in (
        ("per call, concurrency 1", c1, "per_call_s"),
        ("CPU per call, concurrency 1", c1, "cpu_per_call_s"),
        ("per call, concurrency 32", c32, "per_call_s"),
        ("CPU per call, concurrency 32", c32, "cpu_per_call_s"),
    ):
        values = {
            name: (v * 1000 if (v := results.median(key, name, metric)) else None)
            for name, _ in columns
        }
        cells = [
            f"{_fmt(values[name])} ms" if values[name] is not None else "n/a"
            for name, _ in columns
        ]
        client = values[client_name]
        lines.append(
            f"| {title} | {' | '.join(cells)} | {_ratio(client, values[floor])} "
            f"| {_ratio(client, values[aiobotocore])} |"
        )
    return lines


# The restJson1 row (bench.rest_json): the awsJson rows' targets, per call
# (issue 14 item 7: the same targets as issue 13 item 8's).
REST_JSON_ROWS = (
    Row(
        "per call, concurrency 1",
        "restjson_c1",
        "per_call_s",
        "ms",
        1e3,
        "<= 1.15x floor and <= 0.45x aiobotocore",
        lambda v, f, a: bool(_le(1.15, f, v)) and bool(_le(0.45, a, v)),
    ),
    Row(
        "per call, concurrency 32",
        "restjson_c32",
        "per_call_s",
        "ms",
        1e3,
        "<= 1.1x floor and faster than aiobotocore",
        lambda v, f, a: bool(_le(1.1, f, v)) and a is not None and v < a,
    ),
    Row(
        "client CPU per call, concurrency 1",
        "restjson_c1",
        "cpu_per_call_s",
        "ms",
        1e3,
        "(diagnostic)",
        None,
    ),
)
REST_JSON_LABELS = ("floor_lambda", "lambda_client", "aiobotocore_lambda")


def rest_json_table(results: Results) -> list[str]:
    """Lambda ListFunctions: the floor, the generated client and aiobotocore."""
    if not any(key in results.samples for key in ("restjson_c1", "restjson_c32")):
        return ["Not measured in this run (`--no-restjson`)."]
    lines = [
        "| measure | floor (raw httpx) | generated lambda_client | aiobotocore "
        "| client / floor | client / aiobotocore | target | met |",
        "|---|---:|---:|---:|---:|---:|---|:---:|",
    ]
    for row in REST_JSON_ROWS:
        floor, ours, aio = (
            _scaled(results.median(row.key, name, row.metric), row.scale)
            for name in REST_JSON_LABELS
        )
        cells = [
            f"{_fmt(value)} {row.unit}"
            if value is not None
            else ("not available" if name in results.unavailable else "n/a")
            for name, value in zip(REST_JSON_LABELS, (floor, ours, aio), strict=True)
        ]
        if row.check is None:
            met = ""
        elif ours is None:
            met = "not measured"
        else:
            met = "yes" if row.check(ours, floor, aio) else "**no**"
        lines.append(
            f"| {row.title} | {' | '.join(cells)} | {_ratio(ours, floor)} "
            f"| {_ratio(ours, aio)} | {row.target} | {met} |"
        )
    return lines


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def spread_table(results: Results) -> list[str]:
    """Every row's smallest and largest sample, to show how much the machine drifted."""
    lines = [
        "| measure | " + " | ".join(ALL_CONTENDERS) + " |",
        "|---|" + "---:|" * len(ALL_CONTENDERS),
    ]
    for row in ROWS:
        cells = []
        for name in ALL_CONTENDERS:
            spread = results.spread(row.key, name, row.metric)
            count = len(results.samples.get(row.key, {}).get(name, []))
            cells.append(
                "n/a"
                if spread is None
                else f"{_fmt(spread[0] * row.scale)} to {_fmt(spread[1] * row.scale)} (n={count})"
            )
        lines.append(f"| {row.title} ({row.unit}) | {' | '.join(cells)} |")
    return lines


def pool_rows(
    results: Results,
) -> list[tuple[str, float | None, float | None, float | None]]:
    """(label, per-call seconds, client CPU seconds, connections) per pool setting.

    Each contender's main-table setting comes from the main table's runs.
    """
    rows = []
    for contender, pools in POOL_VARIANTS.items():
        settings = [("percall_c32", contender, MAIN_POOL[contender], " (main table)")]
        settings += [("pool", pool_label(contender, p), p, "") for p in pools]
        for key, label, pool, suffix in settings:
            rows.append(
                (
                    pool_label(contender, pool) + suffix,
                    results.median(key, label, "per_call_s"),
                    results.median(key, label, "cpu_per_call_s"),
                    results.median(key, label, "server_connections"),
                )
            )
    return rows


def pool_table(results: Results) -> list[str]:
    """Concurrency 32 by pool size, with the connections each run opened."""
    floor = results.median("percall_c32", "floor", "per_call_s")
    lines = [
        "| client, pool size | per call (ms) | vs floor (main table) "
        "| client CPU per call (ms) | connections opened per run |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, value, cpu, conns in pool_rows(results):
        if value is None:
            lines.append(f"| {label} | not measured | | | |")
            continue
        cpu_text = "n/a" if cpu is None else _fmt(cpu * 1e3)
        lines.append(
            f"| {label} | {_fmt(value * 1e3)} | {_ratio(value, floor)} "
            f"| {cpu_text} | {_fmt(conns, 0)} |"
        )
    return lines


def codegen_lines(codegen: dict[str, Any]) -> list[str]:
    """Code generation timings, or why they are missing."""

    def describe(entry: dict[str, Any], what: str) -> str:
        if "error" in entry:
            return f"| {what} | not available: {entry['error']} |"
        size = entry["input_bytes"] / 1e6
        return f"| {what} ({size:.2f} MB input) | {entry['seconds']:.2f} s |"

    lines = ["| step | time |", "|---|---:|"]
    lines.append(
        describe(
            codegen.get("generate_model", {"error": "not run"}),
            "`smithygen generate` model/",
        )
    )
    lines.append(
        describe(
            codegen.get("generate_full", {"error": "not run"}),
            "`smithygen generate` official SSM model (146 operations)",
        )
    )
    idl = codegen.get("idl_throughput", {"error": "not run"})
    lines.append(
        f"| IDL loader throughput | not available: {idl['error']} |"
        if "error" in idl
        else f"| IDL loader throughput (`bench/idl_throughput.py`, best wall time) "
        f"| {idl['mb_per_s']:.2f} MB/s |"
    )
    return lines


def server_line(results: Results) -> str:
    """The loopback server's own CPU per request, over all per-call runs."""
    costs = [
        s["server_cpu_per_request_s"]
        for key in ("startup", "percall_c32")
        for samples in results.samples.get(key, {}).values()
        for s in samples
        if "server_cpu_per_request_s" in s
    ]
    if not costs:
        return "Server cost: not measured."
    costs.sort()
    return (
        f"The loopback server spent a median {costs[len(costs) // 2] * 1e6:.0f} µs of CPU "
        f"per request (range {costs[0] * 1e6:.0f} to {costs[-1] * 1e6:.0f} µs over all per-call runs), "
        "the same canned bytes for every contender."
    )


def write_markdown(results: Results, codegen: dict[str, Any], path: Path) -> None:
    """Write ``results.md``."""
    meta = results.meta
    lines = [
        "# Benchmark results",
        "",
        f"Measured {meta.get('date', '?')} on {meta.get('machine', {}).get('cores', '?')} cores "
        f"({meta.get('machine', {}).get('cpu', '?')}, load average "
        f"{meta.get('machine', {}).get('load_before', 0):.1f} at the start, benchmark processes "
        f"at {meta.get('priority', 'default priority')}), {meta.get('rounds', '?')} rounds; "
        "every figure is the median over rounds, each sample a fresh process, contenders "
        "alternating in rotated order. Regenerate with `make bench`"
        + (
            " (this run: `--quick`, figures not meaningful)."
            if meta.get("quick")
            else "."
        ),
        "",
        "Versions: "
        + ", ".join(f"{k} {v}" for k, v in sorted(meta.get("versions", {}).items())),
        "",
        "## Runtime",
        "",
        *main_table(results),
        "",
        "- *floor*: raw httpx `AsyncClient.post` of bytes signed once, plus `json.loads` of the "
        "answer; its pool holds 8 connections, the fastest size measured here at "
        "concurrency 32 (see the pool table).",
        "- *ssm_inventory*: `SSMClient(region=..., endpoint_url=..., credentials=...)`, "
        "`await describe_inventory_deletions(max_results=50)`; library defaults.",
        "- *aiobotocore* and *boto3*: library defaults, static credentials, in their own venv "
        "(`.venv-bench`).",
        "- Per call: total time of the timed calls divided by their count. Concurrency 1: 900 "
        "sequential calls after the first call and 99 warm-up calls, in the process that "
        "measures start-up and peak RSS. Concurrency 32: 1,000 calls shared by 32 tasks after "
        "100 warm-up calls, so the figure is the inverse of throughput. Each answer is a "
        "19.7 kB page of 50 deletions.",
        "- Import: the import statement a user writes, timed in a bare interpreter with warm "
        "bytecode caches. Construct + first call and the stall are measured after that import, "
        "with a task ticking every 1 ms on the loop; the stall is the longest gap between ticks "
        "(boto3 blocks the loop for its whole call).",
        "- " + server_line(results),
        "",
    ]
    if results.unavailable:
        lines += ["Not available in this run:", ""]
        lines += [
            f"- {name}: {why}" for name, why in sorted(results.unavailable.items())
        ]
        lines.append("")
    lines += [
        "### awsQuery: STS GetCallerIdentity",
        "",
        *sts_table(results),
        "",
        "- The STS client generated from the official model (`bench/sts.py`) against the "
        "same canned server, answering 0.4 kB of XML; the floor posts form bytes signed "
        "once and reads the account with `xml.etree.ElementTree`. Same call counts as the "
        "SSM rows.",
        "### restJson1: Lambda ListFunctions, a 50-function page",
        "",
        *rest_json_table(results),
        "",
        "- *floor*: raw httpx GET of `/2015-03-31/functions?MaxItems=50` with headers "
        "signed once, plus `json.loads`; *generated lambda_client*: the client `smithygen "
        "generate` makes from the official Lambda model, `await list_functions(max_items=50)`; "
        "*aiobotocore*: its `lambda` client, `list_functions(MaxItems=50)`. Each answer is "
        "the same 50-function page (about 26 kB). Per call: the timed calls' total time "
        "over their count, after warm-up calls at the same concurrency (1: 900 calls after "
        "99; 32: 1,000 calls after 100), each job a fresh process.",
        "",
        "### restXml: S3 ListObjectsV2, a 1000-key page",
        "",
        *s3_table(results),
        "",
        "- *floor*: raw httpx GET of `/bench-bucket?list-type=2&max-keys=1000` with S3 "
        "SigV4 headers signed once, the keys counted with `xml.etree.ElementTree`; "
        "*generated S3 client*: the client `smithygen generate` makes from the official "
        "S3 model, `await list_objects_v2(bucket=..., max_keys=1000)`; *aiobotocore*: its "
        "`s3` client, `list_objects_v2(Bucket=..., MaxKeys=1000)` (both ask for "
        "`encoding-type=url` themselves; the canned page says no encoding, so neither "
        "decodes). Each answer is the same "
        "1000-key page (about 270 kB of XML); a tenth of the SSM rows' call counts "
        "(1: 90 calls after 10; 32: 100 calls after 10), each job a fresh process.",
        "",
        "### Spread (smallest and largest sample)",
        "",
        *spread_table(results),
        "",
        "### Connection pool at concurrency 32",
        "",
        *pool_table(results),
        "",
        "## Code generation",
        "",
        *codegen_lines(codegen),
        "",
        "See `bench/PROFILE.md` for where `ssm_inventory`'s time goes.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


COLOURS = {
    "floor": "#7f7f7f",
    "ssm_inventory": "#1f77b4",
    "aiobotocore": "#ff7f0e",
    "boto3": "#2ca02c",
}


def write_chart(results: Results, path: Path) -> None:
    """Write ``results.png``: one panel per measure, lower is better everywhere."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [row for row in ROWS if row.chart]
    figure, axes = plt.subplots(2, 4, figsize=(16, 7.5))
    flat = list(axes.flat)
    for axis, row in zip(flat, panels, strict=False):
        names, values = [], []
        for name in ALL_CONTENDERS:
            value = results.median(row.key, name, row.metric)
            if value is not None:
                names.append(name)
                values.append(value * row.scale)
        bars = axis.barh(names, values, color=[COLOURS[n] for n in names])
        axis.invert_yaxis()
        axis.set_title(f"{row.title}\n({row.unit}, lower is better)", fontsize=10)
        axis.bar_label(bars, labels=[_fmt(v) for v in values], padding=3, fontsize=9)
        if values:
            axis.set_xlim(0, max(values) * 1.3)
        if row.key == "startup" and row.metric == "stall_s":
            axis.axvline(
                5, color="red", linestyle="--", linewidth=1, label="5 ms target"
            )
            axis.legend(loc="lower right", fontsize=8)
        axis.tick_params(axis="y", labelsize=9)
    # The last panel: pool sizes at concurrency 32.
    axis = flat[len(panels)]
    labels, values = [], []
    for label, value, _, _ in pool_rows(results):
        if value is not None:
            labels.append(label.replace(" (main table)", "*"))
            values.append(value * 1e3)
    bars = axis.barh(
        labels, values, color=[COLOURS[label.split()[0]] for label in labels]
    )
    axis.invert_yaxis()
    axis.set_title(
        "concurrency 32 by pool size\n(ms per call, lower is better)", fontsize=10
    )
    axis.bar_label(bars, labels=[_fmt(v) for v in values], padding=3, fontsize=8)
    if values:
        axis.set_xlim(0, max(values) * 1.3)
    axis.tick_params(axis="y", labelsize=8)
    for extra in flat[len(panels) + 1 :]:
        extra.axis("off")
    quick = " (--quick: not meaningful)" if results.meta.get("quick") else ""
    figure.suptitle(
        f"DescribeInventoryDeletions against a loopback server: medians of "
        f"{results.meta.get('rounds', '?')} rounds{quick}",
        fontsize=12,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
