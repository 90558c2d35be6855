"""The `moodtape` command line. A public interface: commands and JSON fields are only added,
never renamed or dropped."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer

from bot.services import Services, make_settings
from storage.errors import IngestError, MoodtapeError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Moodtape: find songs by what their lyrics mean.")
DB_HELP = "LanceDB catalog directory (default: $MOODTAPE_DB, else the built-in catalog)."


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("sentence_transformers", "transformers", "httpx", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
    except Exception:  # pragma: no cover
        pass


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"moodtape: {message}", err=True)
    raise typer.Exit(code)


@app.callback()
def _main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logs on stderr.")) -> None:
    _setup_logging(verbose)


@app.command()
def ingest(path: Path = typer.Argument(..., help="CSV, TSV, JSON or JSONL file of songs with lyrics."),
           db: Path = typer.Option(Path("moodtape-db"), "--db", help="LanceDB directory to create or update."),
           batch_size: int = typer.Option(64, "--batch-size", min=1, max=4096, help="Songs per batch."),
           as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
           no_text: bool = typer.Option(False, "--no-text", help="Do not store lyric text (features only).")) -> None:
    """Add songs to a catalog (upsert by id; bad rows are skipped and counted)."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    from retrieval.catalog import Catalog
    from retrieval.ingest import FeatureBuilder, ingest_file

    from retrieval.readers import read_rows

    try:
        read_rows(path)  # fail fast (one line, exit 2) before any bar or directory appears
        catalog = Catalog(db, create=True)
        builder = FeatureBuilder(keep_text=not no_text)
        columns = [TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]:.1f} songs/s"), TimeElapsedColumn(),
                   TextColumn("ETA"), TimeRemainingColumn()]
        with Progress(*columns, console=_stderr_console(), transient=False) as bar:
            task = bar.add_task("ingest", total=None, rate=0.0)

            def progress(done: int, total: int | None) -> None:
                elapsed = bar.tasks[0].elapsed or 1e-9
                bar.update(task, completed=done, total=total, rate=done / elapsed)

            report = ingest_file(path, catalog, batch_size=batch_size, builder=builder,
                                 progress=progress)
    except IngestError as exc:
        _fail(str(exc))
    except MoodtapeError as exc:
        _fail(exc.user_message)
    summary = report.to_dict()
    summary["db"] = str(db)
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        skipped = ", ".join(f"{n} {why}" for why, n in report.skipped.most_common()) or "none"
        typer.echo(f"added {report.added}, updated {report.updated}, skipped "
                   f"{sum(report.skipped.values())} ({skipped}) in {report.seconds:.1f} s "
                   f"({report.songs_per_s:.1f} songs/s) -> {db}")


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


@app.command()
def recommend(text: str = typer.Argument(..., help='What you want, e.g. "something nostalgic for a rainy night".'),
              k: int = typer.Option(10, "--k", min=1, max=50, help="How many songs."),
              db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
              as_json: bool = typer.Option(False, "--json", help='Print [{"rank","song_id","artist","title","year","score","why"}].')) -> None:
    """Songs whose lyrics fit a feeling or a scene."""
    from bot.engine import recommend_once

    services = Services(make_settings(db=db))
    try:
        result = recommend_once(services, text, k=k)
    except MoodtapeError as exc:
        if as_json:
            typer.echo("[]")
        _fail(exc.user_message, 1)
    finally:
        services.close()
    if as_json:
        typer.echo(json.dumps([p.to_dict() for p in result.picks], ensure_ascii=False))
        for note in result.notes:
            typer.echo(note, err=True)
        raise typer.Exit(0 if result.picks else 1)
    from bot.render import print_picks

    print_picks(result)
    raise typer.Exit(0 if result.picks else 1)


@app.command()
def chat(jsonl: bool = typer.Option(False, "--jsonl", help="Read JSON objects from stdin, write one JSON object per line."),
         db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
         k: int = typer.Option(5, "--k", min=1, max=25, help="Songs per answer."),
         user: str = typer.Option("you", "--user", help="Who is chatting (terminal mode).")) -> None:
    """Chat: ask, steer ("more upbeat", "only 90s"), rate (+2 / -3) and build playlists."""
    from bot.engine import Engine
    from bot.terminal import run_jsonl, run_terminal

    services = Services(make_settings(db=db, k=k))
    engine = None
    try:
        services.warm_up()
        engine = Engine(services, k=k)
        code = run_jsonl(engine) if jsonl else run_terminal(engine, user=user)
    except KeyboardInterrupt:
        # every turn commits before its reply is printed, so nothing is lost here
        typer.echo("moodtape: interrupted; your feedback and playlists are saved.", err=True)
        code = 0
    except MoodtapeError as exc:
        _fail(exc.user_message)
    finally:
        if engine is not None:
            engine.close()       # the Spotify callback page, if someone linked from this chat
        services.close()
    raise typer.Exit(code)


spotify_app = typer.Typer(add_completion=False, no_args_is_help=True,
                          help="Link your Spotify account, so playlists can be exported to it.")
app.add_typer(spotify_app, name="spotify")
USER_HELP = "Who you are in Moodtape (the name you chat as with --user)."


def _spotify_turn(user: str, action: str):
    """One engine call on a light Services (no model, no catalog): -> (engine, services, turn)."""
    from bot.engine import Engine

    services = Services(make_settings())
    engine = Engine(services)
    return services, engine, getattr(engine, f"spotify_{action}")(user)


@spotify_app.command("link")
def spotify_link(user: str = typer.Option("you", "--user", help=USER_HELP)) -> None:
    """Print a Spotify authorization link, then wait until it is used or expires (Ctrl-C cancels)."""
    services, engine, turn = _spotify_turn(user, "link")
    try:
        if turn.kind == "error":
            _fail(turn.reply)
        typer.echo(turn.reply)
        typer.echo("Waiting for Spotify… (Ctrl-C cancels)", err=True)
        done = engine.spotify_wait(user)
    except KeyboardInterrupt:
        typer.echo("\nmoodtape: cancelled; nothing was linked.", err=True)
        raise typer.Exit(130) from None
    finally:
        engine.close()
        services.close()
    if done.kind == "error":
        _fail(done.reply, 1)
    typer.echo(done.reply)


@spotify_app.command("unlink")
def spotify_unlink(user: str = typer.Option("you", "--user", help=USER_HELP)) -> None:
    """Forget the Spotify account linked to USER (playlists already on Spotify stay there)."""
    services, engine, turn = _spotify_turn(user, "unlink")
    engine.close()
    services.close()
    if turn.kind == "error":
        _fail(turn.reply)
    typer.echo(turn.reply)


@spotify_app.command("status")
def spotify_status(user: str = typer.Option("you", "--user", help=USER_HELP),
                   as_json: bool = typer.Option(False, "--json", help='Print {"user", "linked"}.')) -> None:
    """Whether USER has a Spotify account linked (exit code 0 if so, 1 if not)."""
    from bot.engine import Engine

    services = Services(make_settings())
    try:
        linked = Engine(services).spotify_status(user)
    except MoodtapeError as exc:
        _fail(exc.user_message)
    finally:
        services.close()
    if as_json:
        typer.echo(json.dumps({"user": user, "linked": linked}))
    else:
        typer.echo("Spotify is linked." if linked else "Spotify isn't linked. Run `moodtape spotify link`.")
    raise typer.Exit(0 if linked else 1)


@app.command()
def forget(user: str = typer.Argument(..., help="The user id to erase."),
           yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation.")) -> None:
    """Delete everything stored about USER: feedback, sessions, playlists, Spotify tokens."""
    from storage.db import Database
    from storage.forget import forget_user

    settings = make_settings()
    if not yes and not typer.confirm(f"Delete all data of {user!r}? This cannot be undone"):
        raise typer.Exit(1)
    db = Database(settings.sqlite_path)
    try:
        counts = forget_user(db, user)
    finally:
        db.close()
    typer.echo(json.dumps({"user": user, "deleted": counts}))


@app.command("bot")
def discord_bot(check: bool = typer.Option(False, "--check", help="Validate the token, catalog and database, "
                                           "then exit without connecting to Discord.")) -> None:
    """Run the Discord bot (needs DISCORD_TOKEN in the environment or .env)."""
    from bot.discordbot import check_config, run_bot

    settings = make_settings()
    if check:
        problems = check_config(settings)
        for problem in problems:
            typer.echo(f"✗ {problem}", err=True)
        if problems:
            raise typer.Exit(2)
        chat = "on (enable the Message Content intent)" if settings.discord_chat else "off"
        guild = settings.discord_dev_guild or "none (global commands)"
        typer.echo(f"✓ token, catalog and database look fine · chat {chat} · dev guild {guild}")
        raise typer.Exit(0)
    logging.getLogger("moodtape").setLevel(min(logging.getLogger().level, logging.INFO))
    logging.getLogger("discord").setLevel(logging.WARNING)
    try:
        run_bot(settings)
    except MoodtapeError as exc:
        _fail(exc.user_message)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
