"""Listings of a real-estate business, imported from CSV (upsert by reference)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import click
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, select

from gateway.core.db import make_engine, session_scope
from gateway.core.errors import ConfigError
from gateway.core.settings import load_settings
from gateway.store.models import Business, Listing

COLUMNS = (
    "ref", "title", "operation", "property_type", "price", "bedrooms", "area", "address",
    "photo_url", "description",
)  # fmt: skip


class ListingRow(BaseModel):
    """One CSV row, validated."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    ref: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1)
    operation: str = "buy"
    property_type: str = "apartment"
    price: float = Field(gt=0)
    bedrooms: int = Field(default=0, ge=0, le=50)
    area: str = ""
    address: str = ""
    photo_url: str | None = None
    description: str = ""

    @field_validator("operation")
    @classmethod
    def _operation(cls, value: str) -> str:
        if value not in ("buy", "rent"):
            raise ValueError("must be buy or rent")
        return value

    @field_validator("photo_url")
    @classmethod
    def _photo(cls, value: str | None) -> str | None:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value or None


@dataclass
class ImportReport:
    """What an import did; `errors` name the line and the column."""

    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the user."""
        tail = f", {len(self.errors)} rows skipped" if self.errors else ""
        return f"{self.created} created, {self.updated} updated{tail}"


def import_listings(session: Session, business: Business, path: Path) -> ImportReport:
    """Upsert every valid row of a listings CSV for a business; bad rows are reported."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    missing = {"ref", "title", "price"} - set(reader.fieldnames or ())
    if missing:
        raise ConfigError(f"{path}: missing columns {', '.join(sorted(missing))}")
    existing = {
        row.ref: row
        for row in session.exec(select(Listing).where(Listing.business_id == business.id)).all()
    }
    report = ImportReport()
    for line, raw in enumerate(reader, start=2):
        try:
            data = ListingRow.model_validate({k: v for k, v in raw.items() if k and v != ""})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            report.errors.append(f"line {line}: {where}: {first['msg']}")
            continue
        row = existing.get(data.ref)
        if row is None:
            row = Listing(business_id=business.id, ref=data.ref, title=data.title, price=data.price)  # type: ignore[arg-type]
            existing[data.ref] = row
            report.created += 1
        else:
            report.updated += 1
        for key, value in data.model_dump().items():
            setattr(row, key, value)
        session.add(row)
    session.flush()
    return report


# ---------------------------------------------------------------- `switchboard listings import`


@click.group("listings")
def listings_group() -> None:
    """Manage a real-estate business's listings."""


@listings_group.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--business", "slug", required=True, help="The business slug.")
def import_command(path: Path, slug: str) -> None:
    """Import (upsert by ref) listings from a CSV file."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            business = session.exec(select(Business).where(Business.slug == slug)).first()
            if business is None:
                raise click.ClickException(f"no business {slug!r}")
            report = import_listings(session, business, path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    click.echo(f"{slug}: {report.describe()}")
    for error in report.errors:
        click.echo(f"  skipped {error}", err=True)
