"""The feed health dialog (``F``): every subscription, failing ones first and why."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label

from reader.cells import cell_truncate, plural, terminal_safe
from reader.store import Feed, Store


def health(feed: Feed) -> str:
    """A short word for the feed's state."""
    if feed.gone:
        return "gone"
    if feed.last_error:
        return "failing"
    if feed.last_success:
        return "ok"
    return "new"


class FeedHealthScreen(ModalScreen[tuple[str, Feed] | None]):
    """Lists feeds; the highlighted feed's error is shown in full below the table.

    Its keys dismiss with ``(action, feed)`` for the main screen to carry out (remove with
    confirmation and undo, refresh now, open the site).
    """

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="health.close"),
        Binding("ctrl+r", "act('retry')", "Refresh this feed now", id="health.retry"),
        Binding("d,delete", "act('remove')", "Remove", id="health.remove"),
        Binding("o", "act('site')", "Open the site", id="health.site"),
    ]

    DEFAULT_CSS = """
    FeedHealthScreen {
        align: center middle;
        & #feeds-box { width: 95%; max-width: 150; height: 85%; border: round $accent;
                       background: $surface; padding: 0 1; }
        & #feeds-title { text-style: bold; color: $text-primary; }
        & #feeds-detail { height: auto; max-height: 6; padding: 1 0 0 0; color: $text-muted; }
        & DataTable { height: 1fr; }
    }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        order = {"failing": 0, "gone": 1, "new": 2, "ok": 3}
        self.feeds = sorted(store.feeds.all(), key=lambda f: (order[health(f)], f.display_title))

    def compose(self) -> ComposeResult:
        """Summary line, table, detail of the highlighted feed."""
        failing = sum(1 for feed in self.feeds if health(feed) in ("failing", "gone"))
        with Vertical(id="feeds-box"):
            yield Label(f"{plural(len(self.feeds), 'feed')} · {failing} failing", id="feeds-title")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Label("", id="feeds-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns("Health", "Feed", "Items", "Last status", "Last success")
        for feed in self.feeds:
            table.add_row(
                health(feed),
                cell_truncate(terminal_safe(feed.display_title), 50),
                str(feed.item_count),
                str(feed.last_status or "-"),
                (feed.last_success or "never")[:16].replace("T", " "),
            )
        table.focus()
        self._detail()

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        table = self.query_one(DataTable)
        label = self.query_one("#feeds-detail", Label)
        if not self.feeds:
            label.update("No subscriptions yet. Add one with `reader add URL`.")
            return
        feed = self.feeds[min(table.cursor_row, len(self.feeds) - 1)]
        checked = (feed.last_checked or "never")[:16].replace("T", " ")
        lines = [f"{feed.url} · last checked {checked}"]
        if feed.gone:
            lines.append("The site says this feed is gone (HTTP 410); it is no longer fetched.")
        elif feed.last_error:
            lines.append(f"Error: {terminal_safe(feed.last_error)}")
        if feed.retry_after:
            lines.append(f"The server asked us to wait until {feed.retry_after[:16]}.")
        label.update("\n".join(lines))

    def action_close(self) -> None:
        """Back to reading."""
        self.dismiss(None)

    def action_act(self, action: str) -> None:
        """Close, asking the main screen to act on the highlighted feed."""
        if self.feeds:
            table = self.query_one(DataTable)
            self.dismiss((action, self.feeds[min(table.cursor_row, len(self.feeds) - 1)]))
