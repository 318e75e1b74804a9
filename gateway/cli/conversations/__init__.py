"""`switchboard test conversations/*.yaml`: conversations as data, played through the real
gateway and checked (the format: "Conversation tests" in the README).

Each conversation (with the ones it `follows`, same customer, played first) gets a fresh copy
of a database migrated and loaded with the businesses' config (and their documents in the
knowledge base), and a private embedded Redis; `play` says how a turn is played, `checks` what
is checked, `spec` what a file may say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlmodel import select

from gateway.cli.conversations.checks import Check, Result, reason_kinds, register_of
from gateway.cli.conversations.play import Player, Stage
from gateway.cli.conversations.spec import FormatError, Spec, chain, expand, load_spec
from gateway.core import clock
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Conversation

__all__ = [
    "Check",
    "FormatError",
    "Result",
    "Spec",
    "failed",
    "load_spec",
    "reason_kinds",
    "register_of",
    "run",
    "table",
]


def run(paths: Iterable[Path], config: Path, knowledge: Path | None = None) -> list[Result]:
    """Load, play and check conversations; a file that is not the format is a failed result."""
    specs: list[Spec] = []
    results: list[Result] = []
    files = expand(paths)
    for path in files:
        try:
            specs.append(load_spec(path))
        except FormatError as exc:
            bad = Spec(path.stem, "?", "webchat", clock.real_now(), {}, None, True, (), {}, path)
            results.append(Result(bad, error=str(exc)))
    by_name = {s.name: s for s in specs}
    # a followed conversation may live beside the file (not given on the command line)
    for spec in list(specs):
        if spec.follows and spec.follows not in by_name:
            for sibling in expand([spec.path.parent]):
                try:
                    other = load_spec(sibling)
                except FormatError:
                    continue
                by_name.setdefault(other.name, other)
    with Stage.open(config, knowledge) as stage:
        for spec in specs:
            try:
                played = chain(spec, by_name)
            except FormatError as exc:
                results.append(Result(spec, error=str(exc)))
                continue
            with stage.deployment() as rt:
                player = Player(rt)
                who = player.customer(played[0])
                result = Result(spec)
                for earlier in played[:-1]:
                    setup = player.play(earlier, who, check=False)
                    if setup.error:
                        result.error = f"while playing {earlier.name}: {setup.error}"
                        break
                    _close(rt)
                if result.error is None:
                    result = player.play(spec, who)
                results.append(result)
    return results


def _close(rt: Runtime) -> None:
    """End the conversation, so the next one starts new (the same contact)."""
    with session_scope(rt.engine) as session:
        for conv in session.exec(select(Conversation)).all():
            conv.state = "closed"


def table(results: Sequence[Result], verbose: bool = False) -> str:
    """A pass/fail table, failures explained."""
    width = max([len(r.spec.name) for r in results] + [12])
    lines = [f"{'conversation':<{width}}  {'vertical':<11}  {'checks':>7}  result"]
    for r in results:
        ok = sum(c.passed for c in r.checks)
        verdict = "PASS" if r.passed else ("FAIL" if r.spec.required else "fail (optional)")
        lines.append(
            f"{r.spec.name:<{width}}  {r.vertical:<11}  {ok:>3}/{len(r.checks):<3}  {verdict}"
        )
        if r.error:
            lines.append(f"    error: {r.error}")
        for c in r.checks:
            if not c.passed:
                where = f"turn {c.turn + 1}" if c.turn is not None else "outcome"
                lines.append(f"    {where}: {c.kind} {c.detail}")
        if verbose or not r.passed:
            for said, replies in r.transcript:
                lines.append(f"      > {said}")
                lines.extend(f"        {t}" for t in replies)
    passed = sum(r.passed for r in results)
    lines.append(f"{passed}/{len(results)} conversations passed")
    return "\n".join(lines)


def failed(results: Sequence[Result]) -> bool:
    """Whether a required conversation failed."""
    return any(not r.passed and r.spec.required for r in results)
