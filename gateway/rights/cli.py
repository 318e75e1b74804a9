"""`switchboard contact export|erase`: the data rights of one contact from the command line."""

from __future__ import annotations

import json
import sys

import click

from gateway.core.errors import SwitchboardError
from gateway.core.runtime import Runtime
from gateway.rights import service


@click.group()
def contact() -> None:
    """A contact's data: export it or erase it."""


@contact.command("export")
@click.option("--business", "slug", required=True, help="The business slug.")
@click.argument("ref")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="File (default: stdout).")
def export_cmd(slug: str, ref: str, output: str | None) -> None:
    """Write everything stored about REF (id, phone or address) as one JSON document."""
    rt = Runtime.for_command()
    try:
        doc = service.export(rt, slug, ref, via="cli")
    except SwitchboardError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        rt.close()
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")


@contact.command("erase")
@click.option("--business", "slug", required=True, help="The business slug.")
@click.argument("ref")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_cmd(slug: str, ref: str, yes: bool) -> None:
    """Erase REF's personal data (bookings are kept without it)."""
    if not yes:
        click.confirm(
            f"Erase all personal data of {ref} in {slug}? This cannot be undone", abort=True
        )
    rt = Runtime.for_command()
    try:
        counts = service.erase(rt, slug, ref, via="cli")
    except SwitchboardError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        rt.close()
    click.echo("erased: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
