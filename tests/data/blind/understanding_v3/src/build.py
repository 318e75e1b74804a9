"""Builds intents.jsonl and signals.jsonl from the hand-written entries in this folder."""
import json, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from common import build
import en_intents, es_intents, en_signals, es_signals

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def signals(prefix, lang, rows):
    out, tmpl = [], None
    for r in rows:
        if isinstance(r, str):
            tmpl = r
            continue
        f, u, text = r
        out.append({"id": f"{prefix}-{len(out)+1:03d}", "lang": lang, "template": tmpl, "text": text,
                    "frustrated": bool(f), "urgent": bool(u)})
    return out


recs = build("v3-en", "en", en_intents.R) + build("v3-es", "es", es_intents.R)
with open(os.path.join(OUT, "intents.jsonl"), "w", encoding="utf-8") as fh:
    for r in recs:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
sig = signals("v3-s-en", "en", en_signals.R) + signals("v3-s-es", "es", es_signals.R)
with open(os.path.join(OUT, "signals.jsonl"), "w", encoding="utf-8") as fh:
    for r in sig:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(recs), "intent records,", len(sig), "signal records")
