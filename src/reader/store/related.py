"""Related links found for an article, kept per source so they can be merged and ranked later."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reader.sanitize import clean_line, http_url
from reader.store.db import Database


@dataclass(frozen=True)
class RelatedLink:
    """A link another source says is related to an article."""

    url: str
    title: str
    source: str
    rank: int = 0


class RelatedLinks:
    """The ``related_links`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def replace(self, article_id: int, source: str, links: Iterable[RelatedLink]) -> None:
        """Replace what ``source`` said about this article with ``links``."""
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM related_links WHERE article_id = ? AND source = ?",
                (article_id, source),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO related_links (article_id, url, title, source, rank)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (article_id, url, clean_line(link.title), source, link.rank)
                    for link in links
                    if (url := http_url(link.url))
                ],
            )

    def for_article(self, article_id: int) -> list[RelatedLink]:
        """Every stored related link of an article, by source then rank."""
        rows = self.db.query(
            "SELECT url, title, source, rank FROM related_links WHERE article_id = ?"
            " ORDER BY source, rank",
            (article_id,),
        )
        return [RelatedLink(row["url"], row["title"], row["source"], row["rank"]) for row in rows]
