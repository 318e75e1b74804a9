#!/usr/bin/env python3
"""Write conversations/INDEX.md from the conversation files (kinds from each file's '# kinds:' line)."""
import pathlib
import yaml

ROOT = pathlib.Path(__file__).resolve().parent / "conversations"
rows, totals = [], {}
for f in sorted(ROOT.glob("*/*.yaml")):
    text = f.read_text()
    d = yaml.safe_load(text)
    kinds = text.splitlines()[0].split(":", 1)[1].strip()
    lang = "es" if "-es-" in f.name else "en"
    register = "formal (usted)" if "-usted-" in f.name else "informal (tú)" if "-tu-" in f.name else "-"
    follows = d.get("follows") or ""
    rows.append(f"| [{f.parent.name}/{f.name}]({f.parent.name}/{f.name}) | {d['business']} | {lang} | "
                f"{register} | {kinds} | {follows} |")
    t = totals.setdefault(d["business"], {"en": 0, "es": 0})
    t[lang] += 1

out = ["# Blind conversation suite", "",
       "Written only from conv_inputs/ (demo.yaml, knowledge/, listings/, README sections) and",
       "CONVERSATION_FORMAT.md. Validate with `python3 validate_conversations.py`; regenerate this",
       "file with `python3 make_index.py`.", "",
       "| business | conversations | en | es |", "|---|---|---|---|"]
for b, t in totals.items():
    out.append(f"| {b} | {t['en'] + t['es']} | {t['en']} | {t['es']} |")
out.append(f"| **total** | {sum(t['en'] + t['es'] for t in totals.values())} | "
           f"{sum(t['en'] for t in totals.values())} | {sum(t['es'] for t in totals.values())} |")
out += ["", "Kinds: booking (reaches its record), upfront (details given at once / out of order, not asked",
        "again), correction (changed mid-flow, record holds the new value), digression (a documented",
        "question mid-flow), human / human-mid-form (handoff on that turn), emergency, frustrated,",
        "returning-* (follows an earlier conversation: reschedule, cancel, recognised), opt-out",
        "(compliment then STOP/BAJA), erasure (forget me, then what do you know), unanswerable",
        "(not in the documents: no invention).", "",
        "| file | business | language | register | kinds | follows |", "|---|---|---|---|---|---|"]
out += rows
(ROOT / "INDEX.md").write_text("\n".join(out) + "\n")
print(f"wrote {ROOT / 'INDEX.md'} ({len(rows)} rows)")
