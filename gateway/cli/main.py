"""The `switchboard` command line: load, migrate, serve, worker, chat, run, sweep."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
from sqlmodel import col, select

from gateway.cli.channels import channel as channel_commands
from gateway.cli.doctor import doctor
from gateway.console.commands import staff as staff_commands
from gateway.console.security import welcome_key
from gateway.core.db import session_scope
from gateway.core.errors import ConfigError, SwitchboardError
from gateway.core.logs import setup_logging
from gateway.core.runtime import (
    Runtime,
    ensure_embedded_redis,
    running_embedded_redis,
    stop_embedded_redis,
)
from gateway.core.settings import Settings, load_settings
from gateway.kb.cli import DEMO_KNOWLEDGE, kb
from gateway.kb.cli import demo as kb_demo
from gateway.outreach.cli import outreach
from gateway.rights.cli import contact as contact_commands
from gateway.store.listings import listings_group

ROOT = Path(__file__).resolve().parents[2]
DEMO_CONFIG = ROOT / "config" / "demo.yaml"


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def cli() -> None:
    """Switchboard: one bot for a small business on WhatsApp, Telegram, SMS and web chat."""


cli.add_command(staff_commands)
cli.add_command(channel_commands)
cli.add_command(kb)
cli.add_command(outreach)
cli.add_command(contact_commands)
cli.add_command(doctor)


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from gateway.core.migrate import upgrade

    settings = _settings()
    from gateway.core.db import make_engine

    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    click.echo("database is up to date")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
def load(path: Path) -> None:
    """Load (upsert) businesses and channels from a YAML file.

    Each business's settings are then queued for the knowledge base (a worker ingests them),
    so its bot answers hours, prices and address from what was configured, and nothing else.
    """
    from gateway.cli.config_file import apply_config, load_config_file
    from gateway.kb.settings import request_settings_for

    rt = Runtime.for_command()
    try:
        config = load_config_file(path)
        with session_scope(rt.engine) as session:
            for line in apply_config(session, config, rt.settings.secret_key):
                click.echo(line)
        queued = request_settings_for(rt, [b.slug for b in config.businesses])
        click.echo(f"knowledge: the settings of {queued} business(es) queued for the worker")
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        rt.close()


ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
"""gunicorn's access line without the query string (%(r)s, %(q)s) or the referrer: a WhatsApp
verification GET carries the verify token in its query, and other secrets may follow."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=16, show_default=True, type=int)
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the web process with gunicorn (threads carry the live streams)."""
    _settings()
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "gateway.app:create_app()",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
    ]
    os.execv(sys.executable, args)


@cli.command()
@click.option("--burst", is_flag=True, help="Work until the queues are empty, then exit.")
@click.option("--fork", is_flag=True, help="Fork a process per job (RQ's classic worker).")
def worker(burst: bool, fork: bool) -> None:
    """Run a worker on the inbound, outbound and scheduled queues, with the scheduler."""
    from gateway.worker.run import run_worker

    run_worker(Runtime.for_command(), burst=burst, fork=fork)


@cli.command()
def sweep() -> None:
    """Re-enqueue stored work that was never processed or sent."""
    from gateway.worker.sweep import sweep as do_sweep

    report = do_sweep(Runtime.for_command())
    click.echo(f"re-enqueued {report.inbound} inbound and {report.outbound} outbound messages")


@cli.command()
@click.option("--business", "slug", required=True, help="The business slug to chat with.")
def chat(slug: str) -> None:
    """Chat with a business in the terminal, through the same pipeline as the web chat."""
    from gateway.cli.terminal_chat import run_terminal_chat

    try:
        run_terminal_chat(Runtime.for_command(), slug)
    except SwitchboardError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.option("--port", default=8000, show_default=True, type=int, envvar="PORT")
@click.option("--config", "config_path", default=str(DEMO_CONFIG), show_default=True)
def run(port: int, config_path: str) -> None:
    """Set up and start everything on one machine: migrate, load, Redis, web and worker."""
    settings = _settings()
    _check_port_free(port)
    env = dict(os.environ)
    started_redis = False
    if not settings.redis_url:
        started_redis = running_embedded_redis(settings.var_dir) is None
        env["REDIS_URL"] = ensure_embedded_redis(settings.var_dir)
        click.echo(f"embedded redis at {env['REDIS_URL']}")
    try:
        _run(settings, env, port, Path(config_path))
    finally:
        if started_redis:  # ours: do not leave a redis-server behind (it saves its data)
            stop_embedded_redis(settings.var_dir)


def _check_port_free(port: int) -> None:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise click.ClickException(
                f"port {port} is in use (another switchboard?): choose one with "
                f"`make run PORT=8011` or `switchboard run --port 8011`"
            ) from None


def _run(settings: Settings, env: dict[str, str], port: int, config_path: Path) -> None:
    ctx = click.get_current_context()
    ctx.invoke(migrate)
    ctx.invoke(load, path=config_path)
    is_demo = config_path.resolve() == DEMO_CONFIG.resolve()
    if is_demo:
        ctx.invoke(kb_demo)  # queues only what is not ingested yet: instant on a second start
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PORT"] = str(port)
    env["SWITCHBOARD_VAR_DIR"] = str(settings.var_dir)
    env.setdefault("SWITCHBOARD_PUBLIC_URL", f"http://127.0.0.1:{port}")
    if sys.stderr.isatty():  # honcho pipes its children: tell them a person is reading
        env.setdefault("SWITCHBOARD_LOG_FORMAT", "text")
    _print_addresses(settings, port, "the demo businesses" if is_demo else "your businesses")
    key = welcome_key(settings.secret_key)
    click.echo(f"Start your own business: http://127.0.0.1:{port}/console/welcome/?key={key}\n")
    if is_demo:
        _print_demo_staff(settings, port)
    else:
        click.echo(
            f"Staff console: http://127.0.0.1:{port}/console/ (accounts: `switchboard staff add"
            " --business SLUG --email E --role owner`)\n"
        )
    procfile = ROOT / "Procfile"
    args = [sys.executable, "-m", "honcho", "-f", str(procfile), "-d", str(ROOT), "start"]
    # its own process group, so that however this process ends (Ctrl-C, SIGTERM, an error),
    # the web and worker processes end with it and none keeps the port or Redis
    honcho = subprocess.Popen(args, env=env, start_new_session=True)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            honcho.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop_group(honcho)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGINT (what Ctrl-C sends) to the process group, then SIGTERM, then SIGKILL."""
    for sig, grace in ((signal.SIGINT, 15.0), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            process.poll()  # reap honcho itself
            try:
                os.killpg(process.pid, 0)  # anyone left in the group?
            except ProcessLookupError:
                return
            time.sleep(0.2)


def _print_addresses(settings: Settings, port: int, which: str) -> None:
    from gateway.core.db import make_engine
    from gateway.messaging.providers import hosted_providers
    from gateway.store.models import Business, Channel

    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        rows = session.exec(
            select(Business.slug, Business.name)
            .join(Channel, col(Channel.business_id) == col(Business.id))
            .where(col(Channel.provider).in_(hosted_providers()))
        ).all()
    engine.dispose()
    click.echo(f"\nSwitchboard is starting. Chat with {which}:")
    for slug, name in rows:
        click.echo(f"  {name}: http://127.0.0.1:{port}/chat/{slug}")
    click.echo("")


def demo_slugs() -> list[str]:
    """The businesses of config/demo.yaml: the only ones that get a demo owner account."""
    from gateway.cli.config_file import load_config_file

    return [business.slug for business in load_config_file(DEMO_CONFIG).businesses]


def _print_demo_staff(settings: Settings, port: int) -> None:
    from gateway.console.staff import demo_accounts
    from gateway.core.db import make_engine

    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        accounts = demo_accounts(session, settings.var_dir, demo_slugs())
    engine.dispose()
    click.echo(f"Staff console: http://127.0.0.1:{port}/console/ (demo accounts)")
    for name, email, password in accounts:
        click.echo(f"  {name}: {email} / {password}")
    click.echo("")


@cli.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--config",
    "config_path",
    default=str(DEMO_CONFIG),
    show_default=True,
    type=click.Path(exists=True, path_type=Path),
    help="The businesses the conversations talk to.",
)
@click.option(
    "--knowledge",
    default=str(DEMO_KNOWLEDGE),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of <business slug>/ folders of documents, ingested before playing.",
)
@click.option("-v", "--verbose", is_flag=True, help="Print every transcript, not only failures.")
def test_conversations(
    paths: tuple[Path, ...], config_path: Path, knowledge: Path, verbose: bool
) -> None:
    """Play conversation files (YAML, see README "Conversation tests") through the real
    gateway with a moving clock, check them, print a pass/fail table; exit 1 on a failure."""
    from gateway.cli import conversations

    setup_logging("WARNING")
    results = conversations.run(paths, config_path, knowledge)
    click.echo(conversations.table(results, verbose))
    if conversations.failed(results):
        sys.exit(1)


@cli.group()
def clock() -> None:
    """The deployment's clock (shift it for demos and acceptance tests)."""


@clock.command("show")
def clock_show() -> None:
    """Print the deployment's time and its shift from the real time."""
    from gateway.core import clock as deployment_clock

    Runtime.for_command()
    click.echo(f"{deployment_clock.now().isoformat()} (shift {deployment_clock.offset():+.0f} s)")


@clock.command("set")
@click.argument("instant")
def clock_set(instant: str) -> None:
    """Make every process of this deployment read INSTANT now (ISO, with offset); it then
    advances in real time."""
    from datetime import datetime

    from gateway.core import clock as deployment_clock

    rt = Runtime.for_command()
    at = datetime.fromisoformat(instant)
    if at.tzinfo is None:
        raise click.ClickException("give the instant with its UTC offset, e.g. +01:00")
    deployment_clock.set_now(rt.redis, at, rt.settings.queue_prefix)
    click.echo(f"clock set: {deployment_clock.now().isoformat()}")


@clock.command("reset")
def clock_reset() -> None:
    """Back to the real time."""
    from gateway.core import clock as deployment_clock

    rt = Runtime.for_command()
    deployment_clock.set_now(rt.redis, None, rt.settings.queue_prefix)
    click.echo(f"clock reset: {deployment_clock.now().isoformat()}")


def main() -> None:
    """Entry point of the `switchboard` script: a failure is one line, not a traceback."""
    from gateway.cli.errors import run_cli

    run_cli(cli)


cli.add_command(listings_group)
