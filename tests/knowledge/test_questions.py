"""What a question asks for (kind of value) and which kinds of value a unit states."""

from __future__ import annotations

from knowledge.questions import fact_types, unit_types


def test_kinds_asked_beyond_price_and_time() -> None:
    assert fact_types("How many people fit on the terrace?") == {"quantity"}
    assert fact_types("¿Cuántas personas caben en el salón?") == {"quantity"}
    assert fact_types("¿Cuántos días tarda la renovación?") == {"duration"}
    assert fact_types("Who is the dentist for children?") == {"name"}
    assert fact_types("¿Cómo se llama la directora?") == {"name"}
    assert "day" in fact_types("Which days do you deliver?")
    assert {"day", "time"} <= fact_types("¿Abrís los domingos por la tarde?")
    assert fact_types("Do you sell gift cards?") == set()


def test_units_state_days_counts_and_names() -> None:
    assert "day" in unit_types("Abrimos de lunes a viernes y los sábados por la mañana.")
    assert "quantity" in unit_types("The private room seats up to 24 guests.")
    assert "name" in unit_types("Dr. Elena Ruiz leads the children's clinic.")
    assert "name" in unit_types("Marta Ibáñez handles immigration cases.")
    assert "name" not in unit_types("Open Monday to Friday, 9:00 to 18:00.")
    assert "name" not in unit_types("Calle Mayor 12, 28013 Madrid")
    assert unit_types("We love what we do.") == set()
