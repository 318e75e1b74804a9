"""Writes ../intents.jsonl and ../signals.jsonl from the hand-written entries in this folder."""
import json
import os

from common import make_intents
import dental_en, dental_es, legal_en, legal_es, restaurant_en, restaurant_es, real_estate_en, real_estate_es
import signals_en, signals_es

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
TEMPLATES = ["dental", "legal", "restaurant", "real_estate"]
MODS = {("en", "dental"): dental_en, ("es", "dental"): dental_es, ("en", "legal"): legal_en,
        ("es", "legal"): legal_es, ("en", "restaurant"): restaurant_en, ("es", "restaurant"): restaurant_es,
        ("en", "real_estate"): real_estate_en, ("es", "real_estate"): real_estate_es}


def main():
    intents = []
    for lang in ("en", "es"):
        rows = []
        for t in TEMPLATES:
            rows.extend((t, r) for r in MODS[(lang, t)].ROWS)
        for i, (t, r) in enumerate(rows, 1):
            rec = make_intents(f"v4-{lang}", lang, t, [r])[0]
            rec["id"] = f"v4-{lang}-{i:03d}"
            intents.append(rec)
    with open(os.path.join(OUT, "intents.jsonl"), "w", encoding="utf-8") as f:
        for r in intents:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    signals = []
    for lang, mod in (("en", signals_en), ("es", signals_es)):
        i = 0
        for t in TEMPLATES:
            for text, code in mod.ROWS[t]:
                i += 1
                signals.append({"id": f"v4-s-{lang}-{i:03d}", "lang": lang, "template": t, "text": text,
                                "frustrated": "F" in code, "urgent": "U" in code})
    with open(os.path.join(OUT, "signals.jsonl"), "w", encoding="utf-8") as f:
        for r in signals:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(intents), "intents,", len(signals), "signals")


if __name__ == "__main__":
    main()
