"""Whole conversations with a real chat model: the template conversations played with
`SWITCHBOARD_CHAT_MODEL` set (e.g. `llama3.1@http://127.0.0.1:11434/v1` for a local Ollama),
reported beside nothing else; without a model configured it says so and skips.

Usage: SWITCHBOARD_CHAT_MODEL=... PYTHONPATH=. python bench/llm_conversations.py [--blind]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.conversations import BLIND, CONFIG, EXAMPLES, KNOWLEDGE, report  # noqa: E402
from gateway.cli import conversations  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blind", action="store_true", help="the blind suite too")
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args()
    model = os.environ.get("SWITCHBOARD_CHAT_MODEL", "").strip()
    if not model or model.lower() in ("off", "none", "offline"):
        print(
            "skipped: SWITCHBOARD_CHAT_MODEL is not set (the offline engine is benched by "
            "bench/conversations.py)"
        )
        return 0
    logging.disable(logging.INFO)
    suites = [("examples", EXAMPLES)] + ([("blind", BLIND)] if args.blind else [])
    for label, folder in suites:
        if not folder.exists():
            print(f"## {label}: {folder} not found, skipped\n")
            continue
        results = conversations.run([folder], args.config, KNOWLEDGE)
        print(report(f"{label} with {model}", results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
