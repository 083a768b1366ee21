"""A feed item as ``Articles.upsert`` reads it, for tests that seed a store with chosen text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Item:
    """The fields of ``reader.store.articles.ItemLike``, in the order the seeding tests use."""

    guid: str
    title: str
    summary_html: str
    published: str
    author: str | None = None
    url: str | None = None
    updated: str | None = None
    content_html: str | None = None
