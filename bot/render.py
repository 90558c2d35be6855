"""Rich rendering for the terminal front ends (no logic: everything comes from the engine)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table


def picks_table(picks: list[dict], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, expand=False, title_justify="left")
    table.add_column("#", justify="right", style="bold")
    table.add_column("Song", overflow="fold", max_width=42)
    table.add_column("Year", justify="right")
    table.add_column("Why", overflow="fold", style="dim", max_width=60)
    for p in picks:
        table.add_row(str(p["rank"]), f"{p['artist']} – {p['title']}", str(p.get("year") or ""),
                      p.get("why") or "")
    return table


def print_picks(result, console: Console | None = None) -> None:
    console = console or Console()
    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]")
    if not result.picks:
        console.print("No songs matched. Try a wider decade or fewer exclusions.")
        return
    console.print(picks_table([p.to_dict() for p in result.picks],
                              title=f"I heard: {result.request.summary()}"))
