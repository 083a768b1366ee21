"""clean_text and safe_url: nothing a page says may drive the terminal or run code."""

from __future__ import annotations

import pytest

from reader.sanitize import clean_text, safe_url


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain text", "plain text"),
        ("red \x1b[31mALERT\x1b[0m done", "red ALERT done"),
        ("title \x1b]0;pwned\x07 here", "title  here"),  # OSC window title, BEL-terminated
        ("copy \x1b]52;c;ZXZpbA==\x1b\\ me", "copy  me"),  # OSC 52 clipboard, ST-terminated
        ("8-bit \x9b31m csi", "8-bit  csi"),
        ("cursor\x1b[2J\x1b[Hhome", "cursorhome"),
        ("nul\x00 bell\x07 bs\x08 del\x7f", "nul bell bs del"),
        ("keep\ttabs\nand lines", "keep\ttabs\nand lines"),
        ("cr\r\nlf and lone\rcr", "cr\nlf and lone\ncr"),
        ("evil \u202egnp.exe\u202c file", "evil gnp.exe file"),
        ("isolate \u2066x\u2069", "isolate x"),
        ("unterminated \x1b]0;" + "a" * 10, "unterminated "),
        ("", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_none() -> None:
    assert clean_text(None) == ""


_HOSTILE_ESCAPES = "\x1b[" * 200_000 + "\x1b]" * 200_000


def test_clean_text_strips_a_flood_of_unterminated_escapes() -> None:
    assert "\x1b" not in clean_text(_HOSTILE_ESCAPES)


@pytest.mark.slow
def test_clean_text_is_linear_on_hostile_input() -> None:
    """Wall clock (``pytest -m slow``): well under 0.1 s idle; a quadratic scan takes minutes."""
    import time

    t0 = time.perf_counter()
    assert "\x1b" not in clean_text(_HOSTILE_ESCAPES)
    assert time.perf_counter() - t0 < 10


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "http://[::1",
        "",
        None,
    ],
)
def test_safe_url_refuses(url: str | None) -> None:
    assert safe_url(url, "https://example.org/a/") is None


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("/b", "https://example.org/a/", "https://example.org/b"),
        ("c?x=1#f", "https://example.org/a/", "https://example.org/a/c?x=1#f"),
        ("//cdn.example.org/i.png", "https://example.org/", "https://cdn.example.org/i.png"),
        ("https://x.example/\u202epath", None, "https://x.example/path"),
        ("mailto:ed@example.org", None, "mailto:ed@example.org"),
        ("relative/page", None, "relative/page"),
        ("//cdn.example.org/i.png", None, "https://cdn.example.org/i.png"),
    ],
)
def test_safe_url_resolves(url: str, base: str | None, expected: str) -> None:
    assert safe_url(url, base) == expected


def test_clean_html_sees_through_a_double_encoded_scheme() -> None:
    from reader.sanitize import clean_html

    out = clean_html(
        '<a href="java&amp;#x09;script:alert(1)">x</a><a href="https://a.test/?q=1&amp;b=2">ok</a>'
    )
    assert out == '<a href="#">x</a><a href="https://a.test/?q=1&amp;b=2">ok</a>'
