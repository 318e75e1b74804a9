"""Real estate conversations through the real pipeline (web chat, database, brain)."""

# ruff: noqa: F811  (the fixtures are imported from tests.gateway.template_chat)
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.listings import import_listings, listings_group
from gateway.store.models import Business, Lead, Listing, Viewing
from tests.gateway.template_chat import (  # noqa: F401
    Chat,
    close_conversations,
    facts,
    handoffs,
    local,
    shop,
    shop_app,
    visitor,
)
from tests.support import settings_env

pytestmark = pytest.mark.db

SLUG = "sol-homes"


def leads(rt: Runtime) -> list[Lead]:
    with session_scope(rt.engine) as session:
        return list(session.exec(select(Lead)).all())


def viewings(rt: Runtime) -> list[Viewing]:
    with session_scope(rt.engine) as session:
        return list(session.exec(select(Viewing)).all())


def images(replies: list) -> list[str]:
    return [a["url"] for m in replies for a in m.attachments if a.get("kind") == "image"]


def test_hot_buyer_gets_ranked_matches_with_photos_books_a_viewing_and_an_agent(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("Hi! I want to buy a flat in Chamberí, budget 400k")
    assert "bedrooms" in chat.text(r)
    r = chat.say("2 bedrooms. We need to move asap and I have a mortgage pre-approved")
    assert "name" in chat.text(r) and "budget" not in chat.text(r).lower()
    r = chat.say("Tom Baker")
    assert "best matches" in chat.text(r)
    shown = [m.text for m in r if "ref" in m.text]
    assert len(shown) == 3 and "SH-101" in shown[0]  # Chamberí, 2 bed, closest to the budget
    assert all("Chamberí" in t for t in shown)
    assert len(images(r)) == 3 and images(r)[0].startswith("https://")
    (lead,) = leads(shop)
    assert lead.score >= 70 and lead.operation == "buy" and lead.budget == 400000
    assert lead.areas == ["Chamberí"] and lead.financing == "approved"
    r = chat.press(r, "view:SH-101")
    assert "When would you like to visit" in chat.text(r)
    r = chat.say("Tuesday at 5pm")
    assert "Viewing of Bright flat with balcony" in chat.text(r) and "17:00" in chat.text(r)
    r = chat.say("yes")
    assert "Booked!" in chat.text(r) and "agents will also call you" in chat.text(r)
    (viewing,) = viewings(shop)
    assert local(viewing.starts_at).strftime("%a %H:%M") == "Tue 17:00"
    (handoff,) = handoffs(shop)
    assert "hot lead" in handoff.reason and handoff.priority == 2


def test_spanish_renter_and_like_the_one_on_calle_mayor_but_cheaper(
    shop: Runtime, visitor: FlaskClient
) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("hola, busco alquilar un piso en el centro hasta 1.500 € al mes")
    assert "dormitorios" in chat.text(r)
    r = chat.say("1")
    r = chat.say("sin prisa, solo mirando")
    r = chat.say("Lucía")
    assert "mejores opciones" in chat.text(r), chat.transcript()
    assert leads(shop)[0].score < 70 and handoffs(shop) == []
    r = chat.say("¿tenéis algo como el de la calle Mayor 30 pero más barato?")
    text = chat.text(r)
    assert "más baratos" in text or "nada parecido" in text, chat.transcript()
    r = chat.say("something like the one on Calle Mayor 12 but cheaper")
    assert "Similar to Bright flat with balcony" in chat.text(r), chat.transcript()
    prices = [m.text for m in r if "ref" in m.text]
    assert prices and all("395,000" not in p for p in prices)


def test_a_budget_given_once_is_never_asked_again(shop: Runtime, visitor: FlaskClient) -> None:
    chat = Chat(shop, visitor, SLUG)
    chat.say("Hello, I'm Nora. I'd like to buy, my budget is 350k")
    assert facts(shop)["budget"]["amount"] == 350000
    close_conversations(shop)
    r = chat.say("hi, I want to buy a 2 bedroom flat in Malasaña")
    assert "best matches" in chat.text(r), chat.transcript()  # nothing left to ask
    bot = chat.all_bot_text()
    assert "maximum budget" not in bot.split("Welcome back")[-1]
    lead = leads(shop)[-1]
    assert lead.budget == 350000 and lead.areas == ["Malasaña"]


def test_a_correction_mid_qualification_and_a_question(shop: Runtime, visitor: FlaskClient) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("Good afternoon. We would like to rent an apartment in Retiro.")
    assert "monthly rent" in chat.text(r)
    r = chat.say("around 2,000 a month")
    r = chat.say("Do you charge any agency fee?")
    assert "landlord" in chat.text(r) and "bedrooms" in chat.text(r)  # answered, then resumed
    r = chat.say("3 bedrooms")
    assert "name" in chat.text(r)
    r = chat.say("actually my budget is 2,200 a month")
    assert "2,200" in chat.text(r) and "name" in chat.text(r)  # said back, then resumed
    r = chat.say("Laura Green")
    assert "SH-203" in chat.text(r)  # the Retiro family flat at 2,100
    (lead,) = leads(shop)
    assert lead.budget == 2200 and lead.bedrooms == 3 and lead.operation == "rent"


def test_seller_goes_to_an_agent(shop: Runtime, visitor: FlaskClient) -> None:
    chat = Chat(shop, visitor, SLUG)
    r = chat.say("Quiero vender mi piso en Salamanca")
    assert "dormitorios" in chat.text(r) and handoffs(shop) == []  # the agent gets details
    chat.say("tres")
    chat.say("Elena Ruiz")
    r = chat.say("611 222 333")
    assert "valoración" in chat.text(r)
    (handoff,) = handoffs(shop)
    assert "sell" in handoff.reason
    (lead,) = leads(shop)
    assert lead.operation == "sell" and lead.bedrooms == 3 and lead.areas == ["Salamanca"]


def test_listings_import_command_upserts_and_reports_bad_rows(
    shop: Runtime, tmp_path: Path
) -> None:
    csv_path = tmp_path / "more.csv"
    csv_path.write_text(
        "ref,title,operation,price,bedrooms,area,address,photo_url\n"
        "SH-101,Bright flat with balcony,buy,385000,2,Chamberí,Calle Mayor 12,https://x.test/1.jpg\n"
        "SH-900,New build,buy,510000,3,Retiro,Calle Alcalde Sainz 3,https://x.test/9.jpg\n"
        "SH-901,Broken,lease,abc,1,Centro,Calle Falsa 1,ftp://nope\n",
        encoding="utf-8",
    )
    env = settings_env(shop.settings)
    result = CliRunner().invoke(
        listings_group, ["import", str(csv_path), "--business", SLUG], env=env
    )
    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated, 1 rows skipped" in result.output
    assert "line 4" in result.output
    with session_scope(shop.engine) as session:
        business = session.exec(select(Business).where(Business.slug == SLUG)).one()
        row = session.exec(select(Listing).where(Listing.ref == "SH-101")).one()
        assert row.price == 385000
        again = import_listings(session, business, csv_path)
    assert again.created == 0 and again.updated == 2


def test_a_reference_followed_by_punctuation_opens_the_viewing(
    shop: Runtime, visitor: FlaskClient
) -> None:
    with session_scope(shop.engine) as session:
        ref = session.exec(select(Listing.ref)).first()
    assert ref is not None
    chat = Chat(shop, visitor, SLUG)
    r = chat.say(f"Hello, I'd like to view the flat ({ref}). Friday at 10:30?")
    assert "buy or rent" not in chat.text(r).lower(), chat.transcript()
    assert "name" in chat.text(r).lower(), chat.transcript()
