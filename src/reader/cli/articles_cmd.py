"""``reader show``, ``reader related`` and ``reader search``: read the cache from scripts."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from reader.cells import format_date, terminal_safe
from reader.cli.context import CliError, Context


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the article commands."""
    show = subparsers.add_parser(
        "show",
        help="print an article (extracted, as Markdown)",
        description="Print an article as Markdown with its metadata. ARTICLE is an article id "
        "(see `reader articles`) or a URL; a URL that is not cached is fetched and stored now.",
    )
    show.add_argument("article", metavar="URL|ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=cmd_show)

    related = subparsers.add_parser(
        "related",
        help="list an article's related posts",
        description="List the related posts of a cached article, marking which are cached.",
    )
    related.add_argument("article", metavar="URL|ID")
    related.add_argument("--json", action="store_true", help="print JSON")
    related.set_defaults(handler=cmd_related)

    search = subparsers.add_parser(
        "search",
        help="full-text search of cached articles",
        description="Search titles and text of every cached article (titles first, then the "
        'newest). Words match whole words (word* for a prefix); "a phrase", -word, a OR b; '
        "filters feed:NAME tag:T author:NAME is:unread|read|saved before:DATE after:DATE.",
    )
    search.add_argument("query", nargs="+", help="words, phrases and filters")
    search.add_argument("--limit", type=int, default=20, help="how many results (default 20)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument(
        "--save",
        metavar="NAME",
        help="also keep the query as a saved search called NAME (a view of the app's feeds "
        "pane; see `reader searches`)",
    )
    search.set_defaults(handler=cmd_search)


def resolve_article(context: Context, ref: str, *, fetch: bool = False) -> int:
    """An article id from an id or a URL; CliError if it is not cached.

    ``fetch``: a web address that is not cached is fetched, extracted and stored now
    (``reader.on_demand.fetch_url``); a failure is one line and exit 1, a ref that is neither
    an id nor a web address exit 2.
    """
    store = context.store
    if ref.isdigit():
        if store.articles.get(int(ref)) is None:
            empty = store.articles.count() == 0
            hint = (
                " (the cache is empty: `reader` opens the demo site, `reader add URL` and "
                "`reader refresh` bring your feeds)"
                if empty
                else "; `reader articles` lists the ids"
            )
            raise CliError(f"no article with id {ref} in the cache{hint}")
        return int(ref)
    record = store.articles.by_url(ref)
    if record is not None:
        return record.id
    if fetch:
        return _fetch_new(context, ref)
    raise CliError(
        f"{ref} is not in the cache; subscribe to its site with `reader add` and refresh"
    )


def _fetch_new(context: Context, ref: str) -> int:
    """Fetch and store a web address that is not cached; its article id."""
    import asyncio

    from reader.on_demand import fetch_url, url_problem

    problem = url_problem(ref.strip())
    if problem:
        raise CliError(f"{problem}; give an article id or a web address", code=2)
    got = asyncio.run(fetch_url(context.store, ref, context.config.refresh))
    if not got.ok or got.article_id is None:
        raise CliError(f"could not fetch {terminal_safe(got.url or ref)}: {got.error}")
    return got.article_id


def cmd_show(context: Context, args: argparse.Namespace) -> int:
    """Print one article."""
    from reader.reading import open_article
    from reader.render.document import with_reference_links

    readable = open_article(context.store, resolve_article(context, args.article, fetch=True))
    assert readable is not None

    def human(data: dict[str, Any]) -> None:
        print(f"# {terminal_safe(readable.title)}")
        date = format_date(readable.published)
        meta = [m for m in (readable.author, date, readable.site_name) if m]
        if meta:
            print(terminal_safe(" · ".join(meta)))
        if readable.url:
            print(readable.url)
        print()
        if not readable.ok:
            print(f"could not extract: {readable.error}; the page is at {readable.url}")
        # Standard Markdown with reference links numbered as in the reading pane.
        print(with_reference_links(readable.markdown))

    context.emit(readable.to_dict(), human)
    return 0 if readable.ok else 1


def cmd_related(context: Context, args: argparse.Namespace) -> int:
    """Print the related posts of one article: the same merged list the sidebar shows."""
    from reader.reading import open_article
    from reader.related import related_entries
    from reader.store import RemoteState

    readable = open_article(context.store, resolve_article(context, args.article))
    assert readable is not None
    entries = related_entries(context.store, readable)
    data = [
        {**asdict(entry), "sources": list(entry.sources), "cached": entry.cached}
        for entry in entries
    ]

    def human(rows: list[dict[str, Any]]) -> None:
        if not rows:
            print("no related posts found")
        for row in rows:
            mark = "●" if row["cached"] else "○"
            state = {
                RemoteState.QUEUED: "queued: fetched when online",
                RemoteState.MISSING: "gone (404)",
                RemoteState.FAILED: "cannot be fetched",
            }.get(row["state"], "")
            detail = " · ".join(
                part
                for part in (
                    row["date"],
                    terminal_safe(row["site"]),
                    ", ".join(row["sources"]),
                    state,
                )
                if part
            )
            print(f"{mark} {terminal_safe(row['title'])}")
            print(f"  {terminal_safe(row['url'])}")
            print(f"  {detail}")

    context.emit(data, human)
    return 0


def cmd_search(context: Context, args: argparse.Namespace) -> int:
    """Print the best matches, each with a snippet; hints about the query go to stderr."""
    text = " ".join(args.query)
    if args.save is not None:
        from reader.cli.searches_cmd import save_search

        save_search(context, args.save, text)
        print(f"reader search: saved as {terminal_safe(args.save.strip())}", file=sys.stderr)
    result = context.store.search.find(text, limit=max(1, args.limit), snippets=True)
    for hint in result.hints:
        print(f"reader search: {hint}", file=sys.stderr)
    data = [
        {
            **asdict(hit.row),
            "title_marks": [list(mark) for mark in hit.title_marks],
            "snippet": hit.snippet.text if hit.snippet else "",
            "snippet_marks": [list(mark) for mark in hit.snippet.marks] if hit.snippet else [],
        }
        for hit in result.hits
    ]

    def human(items: list[dict[str, Any]]) -> None:
        if not items:
            print("no matches")
        for item in items:
            title = terminal_safe(item["title"])
            print(f"{item['id']:>7}  {item['published'][:10]}  {title}  — {item['feed_title']}")
            if item["snippet"]:
                print(f"         {terminal_safe(item['snippet'])}")

    context.emit(data, human)
    return 0
