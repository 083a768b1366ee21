"""``reader articles``, ``reader mark`` and ``reader fetch``: the cached articles as a library.

``articles`` lists a view (all, unread, saved; narrowed to a feed or a tag), ``mark`` sets read
and saved (saving fetches the page, so a saved article reads offline), ``fetch`` gets one page
now (``reader.on_demand``). Exit status: 0 done, 1 partly done (an unknown id, a page that could
not be fetched; the rest is done), 2 the command line is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from reader.cells import terminal_safe
from reader.cli.context import CliError, Context
from reader.cli.labels_cmd import resolve_feed

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from reader.on_demand import PageFetch

PAGE_FETCHES = 4
"""Pages fetched at once when saving many articles."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the library commands."""
    articles = subparsers.add_parser(
        "articles",
        help="list cached articles (all, unread, saved; by feed or tag)",
        description="List cached articles, newest first: id, date, ● unread, ★ saved, title "
        "and feed. --feed and --tag narrow any view.",
    )
    articles.add_argument("--view", choices=("all", "unread", "saved"), default="all")
    articles.add_argument("--feed", metavar="FEED", help="only this feed (its URL or id)")
    articles.add_argument("--tag", metavar="TAG", help="only feeds with this tag")
    articles.add_argument(
        "--limit", type=int, default=50, metavar="N", help="how many (default 50; 0: all)"
    )
    articles.add_argument("--json", action="store_true", help="print JSON")
    articles.set_defaults(handler=cmd_articles)

    mark = subparsers.add_parser(
        "mark",
        help="mark articles read, unread, saved or unsaved",
        description="Mark articles by id (see `reader articles`). Saving an article whose page "
        "is not cached fetches the page now, so it reads offline. `--all` marks every article "
        "read or unread (with --feed: every article of that feed).",
    )
    mark.add_argument("action", choices=("read", "unread", "saved", "unsaved"))
    mark.add_argument("ids", metavar="ID", nargs="*", help="article ids")
    mark.add_argument("--all", action="store_true", help="every article (read/unread only)")
    mark.add_argument("--feed", metavar="FEED", help="with --all: only this feed (URL or id)")
    mark.add_argument("--json", action="store_true", help="print JSON")
    mark.set_defaults(handler=cmd_mark)

    fetch = subparsers.add_parser(
        "fetch",
        help="fetch an article's page now (or any web page)",
        description="Fetch the page of a cached article (by id or URL) now and store it; "
        "an address not in the cache is fetched, extracted and stored as a new article.",
    )
    fetch.add_argument("article", metavar="ID|URL")
    fetch.add_argument("--json", action="store_true", help="print JSON")
    fetch.set_defaults(handler=cmd_fetch)


def run_async(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run one of ``reader.on_demand``'s coroutines to its end."""
    return asyncio.run(coroutine)


def size_text(size: int) -> str:
    """``48 KB``: a page's size for people."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB" if size >= 1024 else f"{size} bytes"


# -- articles -----------------------------------------------------------------------------


def _view_ids(context: Context, args: argparse.Namespace) -> list[int]:
    """The ids of the asked view, narrowed by --feed and --tag, newest first."""
    from reader.store import View, ViewKind

    views = context.store.views
    wanted = View(ViewKind(args.view))
    narrowing: list[View] = []
    if args.feed:
        narrowing.append(View(ViewKind.FEED, feed_id=resolve_feed(context, args.feed).id))
    if args.tag:
        narrowing.append(View(ViewKind.TAG, tag=args.tag))
    if wanted.kind is ViewKind.SAVED:
        narrowing.append(wanted)
    unread = wanted.kind is ViewKind.UNREAD
    if not narrowing:
        return views.ids(wanted)
    first, *rest = narrowing
    ids = views.ids(first, unread_only=unread)
    for view in rest:
        keep = set(views.ids(view))
        ids = [article_id for article_id in ids if article_id in keep]
    return ids


def cmd_articles(context: Context, args: argparse.Namespace) -> int:
    """List a view."""
    if args.limit < 0:
        raise CliError("--limit must be 0 (all) or more", code=2)
    if args.tag is not None and not context.store.views.tag_feeds(args.tag):
        print(f"reader: no feed has the tag {terminal_safe(args.tag)!r}", file=sys.stderr)
    ids = _view_ids(context, args)
    ids = ids[: args.limit] if args.limit else ids
    rows = []
    for article_id in ids:
        record = context.store.articles.get(article_id)
        if record is None:  # removed meanwhile (a refresh's retention, `reader remove`)
            continue
        rows.append(
            {
                "id": record.id,
                "title": record.title,
                "url": record.url,
                "feed": record.feed_title,
                "feed_id": record.feed_id,
                "published": record.published,
                "read": record.read,
                "saved": record.saved,
                "comment_count": record.comment_count,
            }
        )

    def human(items: list[dict[str, Any]]) -> None:
        if not items:
            print("no articles")
        for item in items:
            marks = ("●" if not item["read"] else " ") + ("★" if item["saved"] else " ")
            title = terminal_safe(item["title"]) or "(untitled)"
            date = (item["published"] or "")[:10]
            print(f"{item['id']:>7}  {date:<10} {marks} {title}  — {terminal_safe(item['feed'])}")

    context.emit(rows, human)
    return 0


# -- mark ---------------------------------------------------------------------------------


def _parse_ids(texts: list[str]) -> list[int]:
    bad = [text for text in texts if not text.strip().isdigit()]
    if bad:
        raise CliError(f"not an article id: {terminal_safe(bad[0])} (ids are numbers)", code=2)
    return list(dict.fromkeys(int(text) for text in texts))


def _check_mark_usage(args: argparse.Namespace) -> None:
    if args.all and args.ids:
        raise CliError("give article ids or --all, not both", code=2)
    if args.all and args.action not in ("read", "unread"):
        raise CliError(f"--all marks read or unread, not {args.action}", code=2)
    if args.feed and not args.all:
        raise CliError("--feed goes with --all: reader mark read --feed FEED --all", code=2)
    if not args.all and not args.ids:
        raise CliError("which articles? give their ids (see `reader articles`) or --all", code=2)


def cmd_mark(context: Context, args: argparse.Namespace) -> int:
    """Set read or saved on articles."""
    _check_mark_usage(args)
    report: dict[str, Any] = {"action": args.action, "view": None, "changed": []}
    report.update(unchanged=[], unknown=[], pages=[])
    if args.all:
        report.update(_mark_view(context, args))
    else:
        report.update(_mark_ids(context, args.action, _parse_ids(args.ids)))
    failed = [page for page in report["pages"] if not page["ok"]]

    def human(data: dict[str, Any]) -> None:
        count = len(data["changed"])
        line = f"marked {count} article{'s' if count != 1 else ''} {args.action}"
        if data["unchanged"]:
            line += f" ({len(data['unchanged'])} already {args.action})"
        print(line)
        for page in data["pages"]:
            if page["ok"]:
                print(f"  fetched the page of {page['article_id']} ({size_text(page['size'])})")

    context.emit(report, human)
    for article_id in report["unknown"]:
        print(f"reader: no article with id {article_id} in the cache", file=sys.stderr)
    for page in failed:
        print(
            f"reader: saved {page['article_id']}, but its page could not be fetched: "
            f"{page['error']}; it reads from the feed's text until `reader fetch "
            f"{page['article_id']}` works",
            file=sys.stderr,
        )
    return 1 if report["unknown"] or failed else 0


def _mark_view(context: Context, args: argparse.Namespace) -> dict[str, Any]:
    """``--all`` (with ``--feed``): every article of the view read or unread."""
    from reader.store import View, ViewKind

    store = context.store
    view = View()
    if args.feed:
        view = View(ViewKind.FEED, feed_id=resolve_feed(context, args.feed).id)
    if args.action == "read":
        changed = store.marks.read_view(view)
    else:
        changed = store.marks.set_read(store.views.ids(view), read=False)
    return {"view": str(view), "changed": changed}


def _mark_ids(context: Context, action: str, ids: list[int]) -> dict[str, Any]:
    """Mark the cached ones of ``ids``; saving fetches pages that are not cached."""
    store = context.store
    known = store.articles.rows(ids)
    present = [article_id for article_id in ids if article_id in known]
    if action in ("read", "unread"):
        changed = store.marks.set_read(present, read=action == "read")
    else:
        changed = store.marks.set_saved(present, saved=action == "saved")
    pages = _fetch_missing_pages(context, present) if action == "saved" else []
    return {
        "changed": changed,
        "unchanged": [article_id for article_id in present if article_id not in set(changed)],
        "unknown": [article_id for article_id in ids if article_id not in known],
        "pages": [
            {"article_id": got.article_id, "ok": got.ok, "error": got.error, "size": got.size}
            for got in pages
        ],
    }


def _fetch_missing_pages(context: Context, ids: list[int]) -> list[PageFetch]:
    """Fetch the pages of the articles that have a link but no stored page yet."""
    from reader.on_demand import fetch_article_page

    missing = []
    for article_id in ids:
        record = context.store.articles.get(article_id)
        if record is not None and record.url and not record.raw_html:
            missing.append(article_id)
    if not missing:
        return []
    config = context.config.refresh

    async def fetch_all() -> list[PageFetch]:
        slots = asyncio.Semaphore(PAGE_FETCHES)

        async def one(article_id: int) -> PageFetch:
            async with slots:
                return await fetch_article_page(context.store, article_id, config)

        return list(await asyncio.gather(*(one(article_id) for article_id in missing)))

    return run_async(fetch_all())


# -- fetch --------------------------------------------------------------------------------


def cmd_fetch(context: Context, args: argparse.Namespace) -> int:
    """Fetch one page now."""
    from reader.on_demand import fetch_article_page, fetch_url, url_problem

    ref = args.article.strip()
    config = context.config.refresh
    if ref.isdigit():
        if context.store.articles.rows([int(ref)]) == {}:
            raise CliError(f"no article with id {ref} in the cache")
        got = run_async(fetch_article_page(context.store, int(ref), config))
    else:
        problem = url_problem(ref)
        if problem:
            raise CliError(f"{problem}; give an article id or a web address", code=2)
        record = context.store.articles.by_url(ref)
        if record is not None:  # cached: fetch its page again now
            got = run_async(fetch_article_page(context.store, record.id, config))
        else:
            got = run_async(fetch_url(context.store, ref, config))
    record = context.store.articles.get(got.article_id) if got.ok and got.article_id else None
    data = {
        "ok": got.ok,
        "article_id": got.article_id,
        "title": record.title if record else None,
        "url": got.url or ref,
        "size": got.size,
        "error": got.error,
    }

    def human(item: dict[str, Any]) -> None:
        title = terminal_safe(item["title"]) or "(untitled)"
        print(f"{title}  (id {item['article_id']}, {size_text(item['size'])})")

    if got.ok or context.json_output:
        context.emit(data, human)
    if not got.ok:
        print(f"reader: could not fetch {terminal_safe(data['url'])}: {got.error}", file=sys.stderr)
        return 1
    return 0
