"""Whole conversations: pass rate per vertical and per kind of check, for the example
conversations (conversations/, written by the people who built the engine) and the blind
suite (tests/data/blind/conversations/, written without sight of the engine; never tuned on).

Usage: PYTHONPATH=. python bench/conversations.py [--examples DIR] [--blind DIR]

With only --examples given, the blind suite is not run (a dev folder is measured alone).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.cli import conversations  # noqa: E402

EXAMPLES = ROOT / "conversations"
BLIND = ROOT / "tests" / "data" / "blind" / "conversations"
CONFIG = ROOT / "config" / "demo.yaml"
KNOWLEDGE = ROOT / "demo" / "knowledge"


def report(label: str, results: Sequence[conversations.Result]) -> str:
    """Pass rates of one suite: conversations per vertical, checks per kind."""
    if not results:
        return f"## {label}: no conversations\n"
    lines = [f"## {label}"]
    by_vertical: dict[str, list[bool]] = defaultdict(list)
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_vertical[r.vertical].append(r.passed)
        for c in r.checks:
            by_kind[c.kind].append(c.passed)
        if r.error:
            by_kind["error"].append(False)
    total = [r.passed for r in results]
    lines.append(
        f"conversations passing every check: {sum(total)}/{len(total)} "
        f"({100 * sum(total) / len(total):.0f}%)"
    )
    lines.append("| vertical | passed | rate |\n|---|---|---|")
    for vertical, oks in sorted(by_vertical.items()):
        lines.append(f"| {vertical} | {sum(oks)}/{len(oks)} | {100 * sum(oks) / len(oks):.0f}% |")
    lines.append("\n| check | held | rate |\n|---|---|---|")
    for kind, oks in sorted(by_kind.items()):
        lines.append(f"| {kind} | {sum(oks)}/{len(oks)} | {100 * sum(oks) / len(oks):.0f}% |")
    return "\n".join(lines) + "\n"


def suites(examples: Path | None, blind: Path | None) -> list[tuple[str, Path]]:
    """The suites to run: both by default; with only --examples, the examples alone."""
    if examples is not None and blind is None:
        return [("examples", examples)]
    return [("examples", examples or EXAMPLES), ("blind", blind or BLIND)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, default=None)
    parser.add_argument("--blind", type=Path, default=None)
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("-v", "--verbose", action="store_true", help="print the tables too")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    for label, folder in suites(args.examples, args.blind):
        if not folder.exists() or not any(folder.rglob("*.y*ml")):
            print(f"## {label}: {folder} not found or empty, skipped\n")
            continue
        results = conversations.run([folder], args.config, KNOWLEDGE)
        print(
            report(
                f"{label} ({folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder})",
                results,
            )
        )
        if args.verbose:
            print(conversations.table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
