"""What the article list tells the screen: the cursor moved, a row was chosen, new contents.

Defined apart from ``article_list.py`` (which re-exports them as ``ArticleList.Listed`` and so
on) to keep that file to its scrolling and painting; the ``article_list`` namespace keeps their
handler names (``on_article_list_listed``) as if they were defined inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from reader.widgets.article_list import ArticleList


@dataclass
class ArticleHighlighted(Message, namespace="article_list"):
    """The cursor moved to an article."""

    article_list: ArticleList
    article_id: int

    @property
    def control(self) -> ArticleList:
        """The list that sent it."""
        return self.article_list


@dataclass
class ArticleChosen(Message, namespace="article_list"):
    """The user pressed enter on an article."""

    article_list: ArticleList
    article_id: int

    @property
    def control(self) -> ArticleList:
        """The list that sent it."""
        return self.article_list


@dataclass
class Listed(Message, namespace="article_list"):
    """New contents: every article (``query`` None), or what a search for ``query`` found.

    A search that finds nothing leaves the list as it was and sends no ``ids``.
    """

    article_list: ArticleList
    ids: list[int]
    query: str | None = None
    open_first: bool = False

    @property
    def control(self) -> ArticleList:
        """The list that sent it."""
        return self.article_list
