"""The search language, parsed: words, ``"phrases"``, ``word*``, ``-word``, ``OR`` and filters.

Pure text work, no SQL (``store.search`` runs the query). Syntax a user already knows from mail
and web search::

    council budget          both words (whole words, any accents or case)
    counc*                  a prefix (of 3 letters or more: ``in*`` is the word ``in``)
    "city council"          a phrase (the words next to each other)
    -strike  -"bus strike"  leave out articles with a word or phrase
    tram OR ferry           either (OR binds tighter than the implicit AND)
    feed:NAME tag:T author:NAME is:unread is:read is:saved before:DATE after:DATE

DATE is ``2024``, ``2024-05``, ``2024-05-17``, ``today``, ``yesterday`` or ``7d`` / ``2w`` (days
or weeks ago); ``after:`` includes the day, ``before:`` does not. Text that does not parse is
never an error: an unclosed quote, a stray ``OR``, an unknown ``name:`` or a bad date is searched
as plain words (or left out) and ``Query.hints`` says what was done.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

_TOKEN = re.compile(r"[^\W_]+")
"""A word as FTS5's unicode61 tokenizer sees it: letters and digits, anything else separates."""
FILTERS = ("feed", "tag", "author", "is", "before", "after")
STATES = ("unread", "read", "saved")
MAX_TERMS = 16
MIN_PREFIX = 3
"""Letters a prefix needs: ``in*`` is searched as the word ``in``, with a hint. FTS5 expands a
prefix over every word of the index that starts so, again on each query; at 100k articles one or
two letters cost 120-290 ms a query (a prefix index would fix it but slows every refresh:
bench/README, "Short prefixes")."""


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""Combining marks (the accents NFKD splits off)."""


def fold(text: str) -> str:
    """Text as the index compares it: case folded, accents removed (remove_diacritics 2)."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


_fold_word = functools.lru_cache(maxsize=65536)(fold)


def fold_text(text: str) -> str:
    """A whole text folded like ``fold`` (ASCII text the fast way)."""
    return text.lower() if text.isascii() else fold(text)


def words_of(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return [_fold_word(match.group()) for match in _TOKEN.finditer(text)]


def spans_of(text: str) -> list[tuple[int, int, str]]:
    """Each word of ``text``: start, end and folded form (offsets into ``text`` itself)."""
    return [(m.start(), m.end(), _fold_word(m.group())) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Term:
    """A word (``prefix``: any word starting so) or a phrase of several words."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        """More than one word: FTS5 finds the words, ``matches`` checks their order."""
        return len(self.words) > 1

    def fts(self) -> str:
        """The FTS5 expression (a phrase is its words ANDed: the index has no positions)."""
        parts = [f'"{word}"' for word in self.words]
        if self.prefix:
            parts[-1] += "*"
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def matches(self, folded: list[str]) -> bool:
        """Whether a text's folded words contain this term (in order, for a phrase)."""
        size = len(self.words)
        for start in range(len(folded) - size + 1):
            window = folded[start : start + size]
            if window[:-1] == list(self.words[:-1]) and (
                window[-1].startswith(self.words[-1])
                if self.prefix
                else window[-1] == self.words[-1]
            ):
                return True
        return False

    def pattern(self) -> re.Pattern[str]:
        """A regex of this term in folded text (``fold_text``): words in order, any separators
        between them. No ``\\b`` before it: a pattern that starts with one is scanned for at
        every position (~60 µs a 5 KB text, against ~5 µs from a literal), so ``search``
        checks the boundary before a match itself."""
        body = r"[\W_]+".join(re.escape(word) for word in self.words)
        return re.compile(body + ("" if self.prefix else r"\b"))

    def search(self, folded: str) -> re.Match[str] | None:
        """The first place this term is in folded text, starting a word (None: nowhere)."""
        pattern, at = self.pattern(), 0
        while (found := pattern.search(folded, at)) is not None:
            start = found.start()
            if start == 0 or not (folded[start - 1].isalnum() or folded[start - 1] == "_"):
                return found  # a word boundary, as \b sees one
            at = start + 1
        return None

    def hits(self, word: str) -> bool:
        """Whether one folded word is (part of) this term, for highlighting."""
        return any(word.startswith(w) if self.prefix else word == w for w in self.words)


@dataclass
class Query:
    """A parsed search: AND of OR-groups of terms, terms left out, filters, and hints."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    before: str | None = None
    after: str | None = None
    hints: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        """Every term that must (or may) match, for highlighting and ranking."""
        return [term for group in self.groups for term in group]

    @property
    def has_filters(self) -> bool:
        """Any filter besides words."""
        return bool(
            self.feeds or self.tags or self.authors or self.states or self.before or self.after
        )

    @property
    def needs_check(self) -> bool:
        """Phrases (or phrases left out) that the index cannot check by itself."""
        return any(term.is_phrase for term in self.terms + self.excluded)

    def fts(self, *, title_only: bool = False) -> str:
        """The FTS5 MATCH expression; empty when there is no word to look for."""
        if not self.groups:
            return ""
        groups = []
        for group in self.groups:
            inner = " OR ".join(term.fts() for term in group)
            groups.append(f"({inner})" if len(group) > 1 else inner)
        text = " AND ".join(groups)
        for term in self.excluded:
            if not term.is_phrase:  # a phrase left out is checked on the text
                text = f"({text}) NOT {term.fts()}"
        return f"{{title}} : ({text})" if title_only else text

    def fts_excluded(self) -> str:
        """The words left out, as one OR expression (for a query with no positive words)."""
        return " OR ".join(term.fts() for term in self.excluded if not term.is_phrase)

    def accepts(self, text: str) -> bool:
        """The order checks the index cannot do on a text: every group (phrases in order)
        present, no phrase left out."""
        folded = fold_text(text)
        for group in self.groups:
            if not any(term.search(folded) for term in group):
                return False
        return not any(term.search(folded) for term in self.excluded)


def parse(text: str, *, today: date | None = None) -> Query:
    """Parse a search; never raises (what does not parse becomes words, with a hint)."""
    query = Query()
    pending_or = False
    count = 0
    for negated, quoted, raw in _lex(text, query):
        if not quoted and raw == "OR" and not negated:
            if not query.groups or pending_or:
                query.hints.append("OR needs a word on each side: searched the words")
            pending_or = bool(query.groups)
            continue
        if not quoted and ":" in raw and _filter(query, raw, negated, today):
            continue
        term = _term(raw, quoted, query)
        if term is None:
            continue
        count += 1
        if count > MAX_TERMS:
            query.hints.append(f"only the first {MAX_TERMS} words are searched")
            break
        if negated:
            query.excluded.append(term)
        elif pending_or and query.groups:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    if pending_or:
        query.hints.append("OR needs a word on each side: searched the words")
    query.hints = list(dict.fromkeys(query.hints))
    return query


def _lex(text: str, query: Query) -> list[tuple[bool, bool, str]]:
    """Tokens as (negated, quoted, text); an unclosed quote runs to the end of the text."""
    tokens: list[tuple[bool, bool, str]] = []
    index, size = 0, len(text)
    while index < size:
        if text[index].isspace():
            index += 1
            continue
        negated = text[index] == "-" and index + 1 < size and not text[index + 1].isspace()
        if negated:
            index += 1
        if text[index] == '"':
            end = text.find('"', index + 1)
            if end < 0:
                query.hints.append("unclosed quote: searched the words")
                end = size
            tokens.append((negated, True, text[index + 1 : end]))
            index = end + 1
            continue
        end = index
        while end < size and not text[end].isspace():
            if text[end] == '"' and text[index:end].endswith(":"):  # name:"two words"
                close = text.find('"', end + 1)
                end = size if close < 0 else close + 1
                break
            end += 1
        tokens.append((negated, False, text[index:end]))
        index = end
    return tokens


def _term(raw: str, quoted: bool, query: Query) -> Term | None:
    words = words_of(raw)
    if not words:
        return None
    if quoted:
        return Term(tuple(words))
    prefix = raw.rstrip().endswith("*")
    if prefix and len(words[-1]) < MIN_PREFIX:
        query.hints.append(
            f"a prefix needs {MIN_PREFIX} letters: “{raw}” was searched as the word “{words[-1]}”"
        )
        prefix = False
    return Term(tuple(words), prefix=prefix)


def _filter(query: Query, raw: str, negated: bool, today: date | None) -> bool:
    """Apply ``name:value``; False when it is not a filter (then it is searched as words)."""
    name, _, value = raw.partition(":")
    name = name.lower()
    value = value.strip().strip('"').strip()
    if name not in FILTERS:
        query.hints.append(f"no filter called “{name}:” (filters: {', '.join(FILTERS)})")
        return False
    if not value:
        query.hints.append(f"“{name}:” needs a value: left out")
        return True
    if negated:
        query.hints.append(f"“-{name}:” is not supported: the filter was applied as is")
    if name == "is":
        if value.lower() in STATES:
            query.states.append(value.lower())
        else:
            query.hints.append(f"is: takes {', '.join(STATES)}: “is:{value}” left out")
    elif name in ("before", "after"):
        day = parse_date(value, today or datetime.now(UTC).date())
        if day is None:
            query.hints.append(
                f"“{name}:{value}” is not a date (2024-05-17, 2024-05, 7d): left out"
            )
        else:
            setattr(query, name, day.isoformat())
    else:
        {"feed": query.feeds, "tag": query.tags, "author": query.authors}[name].append(value)
    return True


def parse_date(value: str, today: date) -> date | None:
    """``2024``, ``2024-05``, ``2024-05-17``, ``today``, ``yesterday``, ``7d``, ``2w``; or None."""
    value = value.lower()
    if value in ("today", "yesterday"):
        return today - timedelta(days=0 if value == "today" else 1)
    relative = re.fullmatch(r"(\d{1,4})([dw])", value)
    if relative:
        days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        return today - timedelta(days=days)
    parts = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not parts:
        return None
    try:
        return date(int(parts.group(1)), int(parts.group(2) or 1), int(parts.group(3) or 1))
    except ValueError:
        return None
