"""Search that answers at once at 100k articles: the newest matches, ranked, with snippets.

Ranking every match costs ~22-60 µs per matching article with ``bm25`` (2-3 s for a word in
every article). Reading matching rowids newest first costs ~0.2 ms for 500 of them whatever the
word (FTS5 walks its doclists lazily, ``ORDER BY rowid DESC``). So a search reads two bounded
candidate sets, newest first: the articles whose *title* matches (``{title} : (...)``, so an old
headline still comes up) and the articles matching anywhere, stepping back in chunks until enough
pass the filters and the phrase checks. Candidates are ranked by how many search terms their title
holds, then by date (the index has ``detail=column``: no term counts or positions, so bm25 could
only say the same). Filters are SQL on ``articles`` read once as a set of ids (each on an index).
Phrases are checked on the indexed text of the candidates (no positions in the index).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from reader.sanitize import clean_text
from reader.store.articles import LIST_COLUMNS, ArticleRow, list_row
from reader.store.db import Database
from reader.store.search_query import Query, fold, fold_text, parse, spans_of, words_of

CHUNK = 500
COUNT_CHUNK = 20_000
"""Matches read per query when counting: each query expands a prefix (``a*``) over the whole
vocabulary again, so a count that walks every match reads few, large chunks (a saved ``a*``
took 28 s in chunks of 500 at 100k articles)."""
"""Rowids read per step back through the matches."""
MAX_CHECKED = 4000
"""Phrase checks per search at most (each reads an article's text); past it, a hint says so."""
SMALL_SET = 5000
"""A filter set this small is ordered by date directly; a bigger one along the date index."""
SNIPPET = 160
"""Characters of body text around the first match."""
COUNT_CAP = 1000
"""A saved search's unread count stops here (the feeds pane shows ``1000+``)."""
VIEW_LIMIT = 2000
"""A saved search as a view lists its newest matches, up to this many."""


@dataclass(frozen=True)
class Snippet:
    """A piece of an article's text and where the search's words are in it."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Hit:
    """One result: the list row, and how it matched."""

    row: ArticleRow
    title_marks: tuple[tuple[int, int], ...] = ()
    snippet: Snippet | None = None


@dataclass
class SearchResult:
    """What a search found, best first, and what the parser had to say about the text."""

    query: Query
    hits: list[Hit] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        """The article ids, best first."""
        return [hit.row.id for hit in self.hits]


class Search:
    """Full-text search with the query language of ``search_query``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def find(self, text: str, limit: int = 50, *, snippets: bool = False) -> SearchResult:
        """The best ``limit`` matches of ``text`` (snippets: read each hit's text for one)."""
        query = parse(text)
        result = SearchResult(query, hints=list(query.hints))
        allowed = self._allowed(query, result)
        if allowed is not None and not allowed:
            return result
        if query.groups:
            ids = self._ranked(query, allowed, limit, result)
        elif query.has_filters or query.excluded:
            ids = self._filtered(query, allowed, limit)
        else:
            return result
        rows = self._rows(ids)
        result.hits = [self._hit(query, rows[i], snippets) for i in ids if i in rows]
        return result

    # -- saved searches: every match, unranked ------------------------------------------
    def matching_ids(
        self, text: str, *, unread_only: bool = False, limit: int = VIEW_LIMIT
    ) -> list[int]:
        """The newest ``limit`` matches of ``text`` (newest stored first, no ranking), in
        date order, newest first: a saved search shown as a view."""
        ids = self._matches(parse(text + (" is:unread" if unread_only else "")), limit)
        return self._newest_of(ids)

    def count_unread(self, text: str, cap: int = COUNT_CAP) -> int:
        """How many unread articles match ``text``, up to ``cap``: a saved search's count.

        Nothing is ranked: the filters' ids (unread among them) are read on their indexes,
        and the index's matches are read newest first only down to the oldest unread id."""
        return len(self._matches(parse(text + " is:unread"), cap, COUNT_CHUNK))

    def _matches(self, query: Query, limit: int, size: int = CHUNK) -> list[int]:
        result = SearchResult(query)
        allowed = self._allowed(query, result)
        if allowed is not None and not allowed:
            return []
        if query.groups:
            floor = min(allowed) if allowed else None
            return self._collect(query, query.fts(), allowed, limit, result, floor, size)
        if query.has_filters or query.excluded:
            return self._filtered(query, allowed, limit)
        return []

    def _newest_of(self, ids: list[int]) -> list[int]:
        """``ids`` newest first by date (their rows probed by primary key, a small sort)."""
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        return self.db.column(
            f"SELECT id FROM articles WHERE id IN ({marks}) ORDER BY published DESC, id DESC",
            tuple(ids),
        )

    # -- candidates ------------------------------------------------------------------------
    def _stream(
        self, match: str, floor: int | None = None, size: int = CHUNK
    ) -> Iterator[list[int]]:
        """Matching rowids newest first, ``size`` at a time (none below ``floor``)."""
        upper: int | None = None
        low = "" if floor is None else f" AND rowid >= {int(floor)}"
        while True:
            bound = low + ("" if upper is None else f" AND rowid < {int(upper)}")
            chunk = self.db.column(
                f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?{bound}"
                f" ORDER BY rowid DESC LIMIT {int(size)}",
                (match,),
            )
            if chunk:
                yield chunk
            if len(chunk) < size:
                return
            upper = chunk[-1]

    def _collect(
        self,
        query: Query,
        match: str,
        allowed: set[int] | None,
        want: int,
        result: SearchResult,
        floor: int | None = None,
        size: int = CHUNK,
    ) -> list[int]:
        """Up to ``want`` rowids matching ``match``, the filters and the phrase checks."""
        found: list[int] = []
        checked = 0
        for chunk in self._stream(match, floor, size):
            ids = chunk if allowed is None else [i for i in chunk if i in allowed]
            ids = self._by_author(query, ids)
            if query.needs_check and ids:
                if checked >= MAX_CHECKED:
                    result.hints.append(
                        f"phrases were checked in the newest {MAX_CHECKED:,} matches only"
                    )
                    break
                checked += len(ids)
                ids = self._phrase_ok(query, ids)
            found.extend(ids)
            if len(found) >= want:
                break
        return found[:want]

    def _ranked(
        self, query: Query, allowed: set[int] | None, limit: int, result: SearchResult
    ) -> list[int]:
        """Title matches and any matches, newest first, ranked by title terms then date."""
        in_title = self._collect(query, query.fts(title_only=True), allowed, limit, result)
        anywhere = self._collect(query, query.fts(), allowed, limit, result)
        candidates = list(dict.fromkeys(in_title + anywhere))
        rows = self._rows(candidates)
        terms = query.terms

        def score(article_id: int) -> tuple[int, str, int]:
            row = rows[article_id]
            folded = words_of(row.title)
            return (sum(term.matches(folded) for term in terms), row.published, article_id)

        ordered = sorted((i for i in candidates if i in rows), key=score, reverse=True)
        return ordered[:limit]

    def _filtered(self, query: Query, allowed: set[int] | None, limit: int) -> list[int]:
        """No word to look for: the filters' newest articles, minus those left out."""
        left_out: set[int] = set()
        if query.fts_excluded():
            left_out = set(
                self.db.column(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                    (query.fts_excluded(),),
                )
            )
        found: list[int] = []
        for ids in self._newest(allowed):
            kept = self._by_author(query, [i for i in ids if i not in left_out])
            if query.needs_check and kept:
                kept = self._phrase_ok(query, kept)
            found.extend(kept)
            if len(found) >= limit:
                break
        return found[:limit]

    def _newest(self, allowed: set[int] | None) -> Iterator[list[int]]:
        """Ids newest first, in chunks: of a small set by their dates, else down the date index."""
        if allowed is not None and len(allowed) <= SMALL_SET:
            marks = ", ".join("?" for _ in allowed)
            yield self.db.column(
                f"SELECT id FROM articles WHERE id IN ({marks}) ORDER BY published DESC, id DESC",
                tuple(allowed),
            )
            return
        offset = 0
        while True:
            ids = self.db.column(
                f"SELECT id FROM articles ORDER BY published DESC, id DESC"
                f" LIMIT {CHUNK * 4} OFFSET {offset}"
            )
            yield ids if allowed is None else [i for i in ids if i in allowed]
            if len(ids) < CHUNK * 4:
                return
            offset += CHUNK * 4

    def _allowed(self, query: Query, result: SearchResult) -> set[int] | None:
        """The ids the filters let through (None: no filter): one set per filter, each read
        on its own index, intersected smallest first."""
        sets: list[set[int]] = []
        feed_ids = self._feed_ids(query, result)
        if feed_ids is not None:
            marks = ", ".join("?" for _ in feed_ids)
            sets.append(set(self._ids(f"feed_id IN ({marks})", tuple(feed_ids))))
        for state in dict.fromkeys(query.states):
            if state == "read":  # no index on read rows: every id but the unread ones
                every = self.db.column("SELECT id FROM articles ORDER BY published DESC, id DESC")
                sets.append(set(every) - set(self._ids("read = 0")))
            else:
                sets.append(set(self._ids("read = 0" if state == "unread" else "saved = 1")))
        if query.after or query.before:
            sets.append(
                set(
                    self._ids(
                        "published >= ? AND published < ?",
                        (query.after or "", query.before or "9999"),
                    )
                )
            )
        if not sets:
            return None  # no filter, or author: only (checked on each chunk: no index)
        sets.sort(key=len)
        allowed = sets[0]
        for other in sets[1:]:
            allowed &= other
        return allowed

    def _by_author(self, query: Query, ids: list[int]) -> list[int]:
        """The ids whose author contains each ``author:`` name, a primary-key probe each (a
        ``LIKE '%name%'`` cannot seek an index; this way it costs per chunk, not per article)."""
        if not query.authors or not ids:
            return ids
        terms, params = [], []
        for author in query.authors:
            escaped = author.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            terms.append("author LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        marks = ", ".join("?" for _ in ids)
        kept = set(self._ids(f"id IN ({marks}) AND {' AND '.join(terms)}", (*ids, *params)))
        return [i for i in ids if i in kept]

    def _ids(self, clause: str, params: tuple[object, ...] = ()) -> list[int]:
        return self.db.column(f"SELECT id FROM articles WHERE {clause}", params)

    def _feed_ids(self, query: Query, result: SearchResult) -> list[int] | None:
        """The feeds ``feed:`` and ``tag:`` name (None: neither was given)."""
        if not query.feeds and not query.tags:
            return None
        feeds = self.db.query("SELECT id, url, title, tags FROM feeds")
        chosen = {row["id"] for row in feeds}
        for name in query.feeds:
            wanted = fold(name)
            named = {
                row["id"]
                for row in feeds
                if wanted in fold(row["title"] or "") or wanted in fold(row["url"])
            }
            if not named:
                result.hints.append(f"no feed is called “{name}”")
            chosen &= named
        for tag in query.tags:
            wanted = fold(tag)
            tagged = {
                row["id"]
                for row in feeds
                if wanted in (fold(t) for t in json.loads(row["tags"] or "[]"))
            }
            if not tagged:
                result.hints.append(f"no feed has the tag “{tag}”")
            chosen &= tagged
        return sorted(chosen)

    def _phrase_ok(self, query: Query, ids: Sequence[int]) -> list[int]:
        """The ids whose indexed text holds the query's phrases (and none left out)."""
        texts = self._texts(ids)
        return [i for i in ids if i in texts and query.accepts(texts[i])]

    # -- rows and snippets -----------------------------------------------------------------
    def _texts(self, ids: Sequence[int]) -> dict[int, str]:
        """Title and indexed body text of each id (one rowid probe each)."""
        texts: dict[int, str] = {}
        for article_id in ids:
            row = self.db.query_one(
                "SELECT title, body FROM articles_fts WHERE rowid = ?", (article_id,)
            )
            if row is not None:
                texts[article_id] = f"{row[0]}\n{row[1]}"
        return texts

    def _rows(self, ids: Sequence[int]) -> dict[int, ArticleRow]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self.db.query(
            f"SELECT {LIST_COLUMNS}, a.author FROM articles a"
            f" JOIN feeds f ON f.id = a.feed_id WHERE a.id IN ({marks})",
            tuple(ids),
        )
        return {row["id"]: list_row(row) for row in rows}

    def _hit(self, query: Query, row: ArticleRow, snippets: bool) -> Hit:
        snippet = None
        if snippets:
            body = self.db.query_one("SELECT body FROM articles_fts WHERE rowid = ?", (row.id,))
            snippet = make_snippet(query, body[0] if body else "")
        return Hit(row, marks_in(query, row.title), snippet)

    def snippets(self, text: str, ids: Sequence[int]) -> dict[int, Snippet]:
        """Snippets of some results (the list asks for the rows it shows)."""
        query = parse(text)
        out: dict[int, Snippet] = {}
        for article_id in ids:
            body = self.db.query_one("SELECT body FROM articles_fts WHERE rowid = ?", (article_id,))
            if body is not None:
                out[article_id] = make_snippet(query, body[0])
        return out


def marks_in(query: Query, text: str) -> tuple[tuple[int, int], ...]:
    """Where the search's words are in ``text`` (start, end offsets)."""
    terms = query.terms
    return tuple(
        (start, end) for start, end, word in spans_of(text) if any(t.hits(word) for t in terms)
    )


def make_snippet(query: Query, body: str) -> Snippet:
    """About ``SNIPPET`` characters of ``body`` around its first match, words marked; the text
    is cleaned (``clean_text``: no markup, no escape sequences) before offsets are taken."""
    body = body or ""
    near = len(body)
    folded = fold_text(body)  # accents off: same offsets but for rare expansions (ß, ligatures)
    for term in query.terms:
        found = term.search(folded)
        if found is not None:
            near = min(near, found.start())
    near = 0 if near == len(body) else near
    window = body[max(0, near - SNIPPET) : near + 2 * SNIPPET]
    text = " ".join(clean_text(window).split())
    marks = marks_in(query, text)
    start = 0
    if marks:
        start = max(0, marks[0][0] - SNIPPET // 4)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + SNIPPET)
    while end < len(text) and not text[end].isspace() and end - start < SNIPPET + 20:
        end += 1
    prefix = "…" if start > 0 or near > SNIPPET else ""
    suffix = "…" if end < len(text) or near + 2 * SNIPPET < len(body) else ""
    shift = len(prefix) - start
    inside = tuple((s + shift, e + shift) for s, e in marks if s >= start and e <= end)
    return Snippet(prefix + text[start:end] + suffix, inside)
