"""Validates the blind knowledge set v3.
Standard library only, except that the PDF's text layer is read with pypdf (present in /work/main/.venv).
Without pypdf the PDF is checked through its Markdown source in docs_src/ and a warning is printed.
Run: /work/main/.venv/bin/python validate.py"""
import html, json, os, re, sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
DOCS_SRC = os.path.join(HERE, "docs_src")
errors = []
def err(msg): errors.append(msg)

def pdf_text(path):
    """Text layer of a PDF (pypdf), or None if pypdf is not importable."""
    try:
        import pypdf
    except ImportError:
        return None
    r = pypdf.PdfReader(path)
    return "\n".join(pg.extract_text() or "" for pg in r.pages)

def visible_text(path):
    if path.endswith(".pdf"):
        src = os.path.join(DOCS_SRC, os.path.basename(path)[:-4] + ".md")
        t = pdf_text(path)
        if t is None:
            print(f"WARNING: pypdf not importable, checking {os.path.basename(src)} instead of the PDF")
            return visible_text(src)
        return re.sub(r"\s+", " ", t).strip()
    raw = open(path, encoding="utf-8").read()
    if path.endswith(".html"):
        t = re.sub(r"<!--.*?-->", " ", raw, flags=re.S)
        t = re.sub(r"<(head|style|script)\b[^>]*>.*?</\1>", " ", t, flags=re.S | re.I)
        t = re.sub(r"<[^>]+>", " ", t)
        t = html.unescape(t)
    else:  # Markdown
        t = raw
        t = re.sub(r"^\s*\|?\s*:?-{3,}.*$", " ", t, flags=re.M)   # table separator rows
        t = re.sub(r"^\s*-{3,}\s*$", " ", t, flags=re.M)           # horizontal rules
        t = re.sub(r"^\s*#{1,6}\s*", "", t, flags=re.M)            # headings
        t = re.sub(r"^\s*[-*+]\s+", "", t, flags=re.M)             # list bullets
        t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)              # links
        t = t.replace("**", "").replace("`", "")
        t = re.sub(r"(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", t)     # *emphasis*
        t = t.replace("|", " ")
    return re.sub(r"\s+", " ", t).strip()

def words(t):
    return [w for w in t.split() if re.search(r"\w", w)]

def occurs_unglued(fact, text):
    f, t = fact.lower(), text.lower()
    start = 0
    while True:
        i = t.find(f, start)
        if i < 0:
            return False
        before = t[i - 1] if i > 0 else " "
        after = t[i + len(f)] if i + len(f) < len(t) else " "
        bad = (f[0].isdigit() and (before.isdigit() or (before in ".," and i > 1 and t[i - 2].isdigit()))) or \
              (f[-1].isdigit() and (after.isdigit() or (after in ".," and i + len(f) + 1 < len(t) and t[i + len(f) + 1].isdigit())))
        if not bad:
            return True
        start = i + 1

# businesses
biz = json.load(open(os.path.join(HERE, "businesses.json"), encoding="utf-8"))
expected = {"blind3-dental-es", "blind3-legal-en", "blind3-restaurant-en", "blind3-realestate-es"}
if set(biz) != expected:
    err(f"businesses.json slugs {sorted(biz)} != {sorted(expected)}")
doc_lang = {}
for slug, b in biz.items():
    if b.get("template") not in {"dental", "legal", "restaurant", "real_estate"}:
        err(f"{slug}: bad template {b.get('template')}")
    if b.get("languages") != ["en", "es"]:
        err(f"{slug}: languages must be ['en','es']")
    p = os.path.join(DOCS, b["doc"])
    if not os.path.exists(p):
        err(f"{slug}: missing doc {b['doc']}")
    doc_lang[b["doc"]] = "en" if "-en." in b["doc"] else "es"

texts = {}
for d in sorted(doc_lang):
    texts[d] = visible_text(os.path.join(DOCS, d))
    n = len(words(texts[d]))
    print(f"{d}: {n} visible words")
    if not 800 <= n <= 1000:
        err(f"{d}: {n} visible words (want 800-1000)")
extra = set(os.listdir(DOCS)) - set(doc_lang)
if extra:
    err(f"unexpected files in docs/: {sorted(extra)}")

# PDF documents: the text layer must be real text, and the Markdown source must be kept in docs_src/
src_texts = {}
for d in sorted(doc_lang):
    if not d.endswith(".pdf"):
        continue
    p = os.path.join(DOCS, d)
    raw = open(p, "rb").read()
    if not raw.startswith(b"%PDF-"):
        err(f"{d}: not a PDF")
    if re.search(rb"/Subtype\s*/Image", raw):
        err(f"{d}: contains images (text must be a text layer)")
    sp = os.path.join(DOCS_SRC, d[:-4] + ".md")
    if not os.path.exists(sp):
        err(f"{d}: Markdown source {os.path.relpath(sp, HERE)} missing")
        continue
    src_texts[d] = visible_text(sp)
    ns, np_ = len(words(src_texts[d])), len(words(texts[d]))
    print(f"{d}: source {os.path.basename(sp)} has {ns} visible words, PDF text layer {np_}")
    if not 800 <= ns <= 1000:
        err(f"{os.path.basename(sp)}: {ns} visible words (want 800-1000)")
    # every word of the source must come out of the PDF (footers may add words, nothing may be lost)
    missing = Counter(w.lower() for w in words(src_texts[d])) - Counter(w.lower() for w in words(texts[d]))
    if missing:
        err(f"{d}: words of the source missing from the PDF text layer: {sorted(missing)[:20]}")

# questions
qs = [json.loads(l) for l in open(os.path.join(HERE, "questions.jsonl"), encoding="utf-8") if l.strip()]
src = {r["id"]: r for r in json.load(open(os.path.join(HERE, "questions_src.json"), encoding="utf-8"))}
fields = ["id", "doc", "business", "language", "question", "answerable", "facts", "multi"]
if len(qs) != 160:
    err(f"{len(qs)} questions (want 160)")
ids = [q.get("id") for q in qs]
if ids != [f"kq3-{i:03d}" for i in range(1, len(qs) + 1)]:
    err("ids are not kq3-001.. in order")
per_doc = defaultdict(list)
seen_q = Counter(q["question"].strip().lower() for q in qs)
for q, c in seen_q.items():
    if c > 1:
        err(f"duplicate question text: {q!r}")
for q in qs:
    qid = q.get("id")
    if list(q) != fields:
        err(f"{qid}: fields {list(q)} != {fields}")
        continue
    if q["doc"] not in texts or biz.get(q["business"], {}).get("doc") != q["doc"]:
        err(f"{qid}: doc/business mismatch")
        continue
    per_doc[q["doc"]].append(q)
    if q["language"] not in ("en", "es"):
        err(f"{qid}: bad language")
    if q["answerable"] != bool(q["facts"]):
        err(f"{qid}: answerable flag inconsistent with facts")
    if q["multi"] != (len(q["facts"]) > 1):
        err(f"{qid}: multi flag inconsistent with facts")
    if q["multi"] and len(q["facts"]) != 2:
        err(f"{qid}: multi questions need exactly 2 facts (one per part)")
    text = texts[q["doc"]]
    for f in q["facts"]:
        if len(f.split()) > 5:
            err(f"{qid}: fact longer than 5 words: {f!r}")
        if not occurs_unglued(f, text):
            err(f"{qid}: fact not a (free-standing) substring of visible text: {f!r}")
        if q["doc"] in src_texts and not occurs_unglued(f, src_texts[q["doc"]]):
            err(f"{qid}: fact not in the PDF's Markdown source: {f!r}")
    s = src.get(qid)
    if not s or s["question"] != q["question"] or s["facts"] != q["facts"]:
        err(f"{qid}: questions_src.json out of sync")
        continue
    if not q["answerable"]:
        kws = s.get("absent_keywords") or []
        if len(kws) < 1:
            err(f"{qid}: unanswerable question without absence keywords")
        for k in kws:
            if k.lower() in text.lower() or k.lower() in src_texts.get(q["doc"], "").lower():
                err(f"{qid}: absence keyword {k!r} occurs in {q['doc']}")

tot = Counter()
for d, lst in sorted(per_doc.items()):
    n = len(lst)
    cross = sum(q["language"] != doc_lang[d] for q in lst)
    unans = sum(not q["answerable"] for q in lst)
    multi = sum(q["multi"] for q in lst)
    print(f"{d}: {n} questions, {cross} cross-lingual, {unans} unanswerable, {multi} multi")
    if (n, cross, unans, multi) != (40, 20, 8, 4):
        err(f"{d}: want 40 questions / 20 cross-lingual / 8 unanswerable / 4 multi")
    tot.update(n=n, cross=cross, unans=unans, multi=multi)
print(f"total: {tot['n']} questions, {tot['cross']} cross-lingual ({tot['cross']/max(tot['n'],1):.0%}), "
      f"{tot['unans']} unanswerable ({tot['unans']/max(tot['n'],1):.0%}), {tot['multi']} multi ({tot['multi']/max(tot['n'],1):.0%})")

if errors:
    print(f"\n{len(errors)} ERROR(S):")
    for e in errors:
        print(" -", e)
    sys.exit(1)
print("OK")
