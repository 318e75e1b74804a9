"""Phone numbers to E.164 with `phonenumbers`: one person is one contact on SMS and WhatsApp."""

from __future__ import annotations

import phonenumbers

_PREFIXES = ("whatsapp:", "tel:", "sms:")


def strip_address(value: str) -> str:
    """Drop a channel prefix such as `whatsapp:` from a provider address."""
    lowered = value.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            return value[len(prefix) :]
    return value


def to_e164(value: str | None, default_region: str | None = None) -> str | None:
    """Return `value` as an E.164 number ("+34600111222"), or None when it is not a phone number.

    Digits without a "+" are read as international (WhatsApp ids and Telegram contacts come that
    way) unless `default_region` is given, in which case they are read as a national number.
    """
    if not value or not isinstance(value, str) or len(value) > 64:
        return None
    raw = strip_address(value.strip())
    candidate = raw
    if not raw.startswith("+") and raw.isdigit() and default_region is None:
        candidate = "+" + raw
    if candidate.startswith("+521") and len(candidate) == 14:
        # WhatsApp still reports Mexican mobiles with the "1" Mexico dropped in 2019.
        candidate = "+52" + candidate[4:]
    try:
        number = phonenumbers.parse(candidate, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
