"""Follow AWS Systems Manager inventory deletions with the typed async client.

An application-shaped example to copy: it starts two deletions of custom inventory
types, waits for the first to complete (with a progress line on the terminal),
lists every deletion through the paginator as a table, and shows how a typed
error is caught.

Everything the client needs comes from the standard AWS configuration, so the same
program runs against real SSM or a local endpoint::

    AWS_REGION=eu-west-1 python examples/inventory_deletions.py          # real SSM
    AWS_ENDPOINT_URL_SSM=http://127.0.0.1:8080 python examples/...       # ssm-emulator

Real SSM needs credentials allowed to call ssm:DeleteInventory, and deletes data:
the type names below are deliberately unlikely to exist in an account.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime

import anyio
from smithygen_runtime import SmithyGenError, WaiterProgress
from ssm_inventory import (
    InvalidDeletionIdException,
    InventoryDeletionStatusItem,
    SSMClient,
    SSMError,
)

TYPE_NAMES = ("Custom:DemoRackInfo", "Custom:DemoLicenses")


def show_progress(progress: WaiterProgress) -> None:
    """One line, rewritten in place, saying how long the waiter has been polling."""
    line = (
        f"  waiting: attempt {progress.attempt}, {progress.elapsed:5.1f} s elapsed, "
        f"next check in {progress.next_delay:4.1f} s"
    )
    sys.stdout.write("\r" + line)
    sys.stdout.flush()


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def render_table(items: Sequence[InventoryDeletionStatusItem]) -> str:
    """The deletions as a plain-text table, newest first as the service lists them."""
    header = ("DeletionId", "TypeName", "Status", "Started (UTC)", "Remaining/Total")
    rows = [header]
    for item in items:
        summary = item.deletion_summary
        counts = (
            "-"
            if summary is None
            else f"{summary.remaining_count or 0}/{summary.total_count or 0}"
        )
        rows.append(
            (
                item.deletion_id or "-",
                item.type_name or "-",
                str(item.last_status or "-"),
                _when(item.deletion_start_time),
                counts,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


async def run(*, region: str | None, max_wait: float) -> None:
    """The application: start, wait, list, and handle a typed error."""
    async with SSMClient(region=region) as ssm:
        deletion_ids = []
        for type_name in TYPE_NAMES:
            started = await ssm.delete_inventory(type_name=type_name)
            deletion_ids.append(started.deletion_id)
            print(f"started deletion {started.deletion_id} of {type_name}")

        first = deletion_ids[0]
        print(f"waiting for {first} to complete (at most {max_wait:.0f} s)")
        done = await ssm.wait_until_deletion_completed(
            deletion_id=first, max_wait=max_wait, on_attempt=show_progress
        )
        sys.stdout.write("\n")
        if done is not None and done.inventory_deletions:
            item = done.inventory_deletions[0]
            print(
                f"{item.deletion_id} is {item.last_status}: {item.last_status_message}"
            )

        items = [
            item
            async for item in ssm.paginate_describe_inventory_deletions_items(
                max_results=10
            )
        ]
        print(f"\n{len(items)} deletion(s) in this account and region:")
        print(render_table(items))

        try:
            await ssm.describe_inventory_deletions(
                deletion_id="00000000-0000-4000-8000-000000000000"
            )
        except InvalidDeletionIdException as error:
            print(
                f"\nan unknown deletion id is reported as {error.code} "
                f"(HTTP {error.status_code}): {error.message}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", help="AWS region (default: from the environment)")
    parser.add_argument(
        "--max-wait", type=float, default=120.0, help="waiter limit in seconds"
    )
    args = parser.parse_args(argv)
    try:
        anyio.run(lambda: run(region=args.region, max_wait=args.max_wait))
    except SSMError as error:
        print(f"SSM refused the request: {error}", file=sys.stderr)
        return 1
    except SmithyGenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
