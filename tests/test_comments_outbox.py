"""The outbox against the real WordPress: offline, back online, crashes, restarts, the CLI."""

from __future__ import annotations

import json
import socket
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from reader.cli import run as cli_run
from reader.comments.outbox import OutboxBusy, _Lock, drain, queue
from reader.comments.page_parts import read_page
from reader.comments.send import send_draft
from reader.paths import Paths
from reader.store import Store

pytest_plugins = ("tests.wordpress",)
pytestmark = pytest.mark.wordpress

OPEN_POST = 4


@pytest.fixture
def db_path(paths: Paths) -> Path:
    """The file behind conftest's ``store`` (a test opens a second connection to it)."""
    return paths.db_file


def unique(marker: str, words: str) -> str:
    return f"{words.capitalize()} {marker} {uuid.uuid4().hex}"


def offline_client(wp: Any) -> httpx.AsyncClient:
    """A client whose every connection is refused: all traffic goes to a closed port."""
    return httpx.AsyncClient(
        proxy=f"http://127.0.0.1:{wp.closed_port()}", follow_redirects=False, trust_env=False
    )


def _no_network(*args: Any) -> None:
    raise OSError(101, "Network is unreachable")


def queued_draft(store: Any, record: Any, body: str, **extra: Any) -> Any:
    values = {"name": "Otto Outbox", "email": "otto@example.org", **extra}
    draft = store.drafts.save(article_url=record.url, article_id=record.id, body=body, **values)
    return queue(store, draft.id)


def on_server(wp: Any, body: str) -> list[dict[str, Any]]:
    token = body.split()[-1]
    return [
        c for c in wp.rest_comments(OPEN_POST, search=token) if token in c["content"]["rendered"]
    ]


async def test_server_down_keeps_the_draft_queued_then_drains(wp, store, client, wp_comment_marker):
    record = wp.store_post(store, OPEN_POST)
    body = unique(wp_comment_marker, "written while the server was down")
    draft = queued_draft(store, record, body)
    events: list[Any] = []
    async with offline_client(wp) as down:
        [result] = await drain(store, client=down, on_event=events.append)
    assert result.state == "queued" and result.message.startswith("offline: will retry")
    kept = store.drafts.get(draft.id)
    assert (kept.state, kept.body, kept.attempts) == ("queued", body, 1)
    assert kept.error.startswith("offline: will retry")
    assert [e.state for e in events] == ["sending", "queued"]
    assert on_server(wp, body) == []
    [result] = await drain(store, client=client)
    assert result.state == "published"
    sent = store.drafts.get(draft.id)
    assert (sent.state, sent.error, sent.attempts, sent.body) == ("published", None, 2, body)
    assert [str(c["id"]) for c in on_server(wp, body)] == [sent.remote_id]


async def test_unstored_page_on_a_dead_host_stays_queued(wp, store):
    url = f"http://127.0.0.1:{wp.closed_port()}/2024/03/somewhere/"
    draft = store.drafts.save(article_url=url, body="never lost", name="A", email="a@b.org")
    queue(store, draft.id)
    [result] = await drain(store)
    assert result.state == "queued" and "connection refused" in result.message
    assert store.drafts.get(draft.id).state == "queued"


async def test_crash_after_sending_does_not_post_twice(wp, store, client, wp_comment_marker):
    """The comment reached the server but the process died before recording it."""
    record = wp.store_post(store, OPEN_POST)
    body = unique(wp_comment_marker, "sent just before a crash")
    draft = queued_draft(store, record, body)
    store.drafts.set_state(draft.id, "sending", count_attempt=True)
    first = await send_draft(
        store.drafts.get(draft.id), read_page(record.raw_html, record.url), client=client
    )
    assert first.state == "published"  # ... and then the process was killed
    [result] = await drain(store, client=client)
    assert (result.state, result.remote_id, result.via) == ("published", first.remote_id, "check")
    assert len(on_server(wp, body)) == 1
    assert store.drafts.get(draft.id).remote_id == first.remote_id


async def test_crash_before_the_request_left_sends_it(wp, store, client, wp_comment_marker):
    record = wp.store_post(store, OPEN_POST)
    body = unique(wp_comment_marker, "interrupted before the request")
    draft = queued_draft(store, record, body)
    store.drafts.set_state(draft.id, "sending", count_attempt=True)
    [result] = await drain(store, client=client)
    assert result.state == "published" and result.via == "form"
    assert [str(c["id"]) for c in on_server(wp, body)] == [result.remote_id]


async def test_interrupted_draft_checked_offline_stays_sending(wp, store, wp_comment_marker):
    record = wp.store_post(store, OPEN_POST)
    draft = queued_draft(store, record, unique(wp_comment_marker, "unsure"))
    store.drafts.set_state(draft.id, "sending")
    async with offline_client(wp) as down:
        [result] = await drain(store, client=down)
    # it may be on the server: keep it in "sending" so the next drain checks before posting
    assert result.state == "sending" and store.drafts.get(draft.id).state == "sending"


async def test_draft_offline_restart_then_send(
    wp, db_path, wp_comment_marker, monkeypatch, tmp_path
):
    """Draft with no network, reopen the store (a new process), go online, send, verify."""
    first = Store.open(db_path)
    record = wp.store_post(first, OPEN_POST)
    first.close()
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    from reader.paths import resolve_paths

    db_file = resolve_paths(str(home)).ensure().db_file
    db_path.rename(db_file)
    body = unique(wp_comment_marker, "drafted on a train")
    with monkeypatch.context() as offline:
        # the network is off while drafting: any connection attempt fails
        offline.setattr(socket.socket, "connect", _no_network)
        offline.setattr(socket.socket, "connect_ex", _no_network)
        assert (
            cli_run(
                [
                    "draft",
                    str(record.id),
                    "--text",
                    body,
                    "--name",
                    "Tina Train",
                    "--email",
                    "tina@example.org",
                ]
            )
            == 0
        )
    reopened = Store.open(db_file)
    try:
        [draft] = reopened.drafts.outbox()
        assert (draft.body, draft.state) == (body, "queued")
        assert reopened.drafts.identity(record.url).name == "Tina Train"
        [result] = await drain(reopened)
        assert result.state == "published"
    finally:
        reopened.close()
    found = on_server(wp, body)
    assert [(str(c["id"]), c["author_name"]) for c in found] == [(result.remote_id, "Tina Train")]


def test_only_one_drain_at_a_time(store):
    held = _Lock(store.path)
    assert held.acquire()
    try:
        import asyncio

        with pytest.raises(OutboxBusy):
            asyncio.run(drain(store))
    finally:
        held.release()


def test_cli_draft_outbox_send(wp, tmp_path, capsys, wp_comment_marker):
    home = str(tmp_path / "clihome")
    link = wp.post(OPEN_POST)["link"]
    good = unique(wp_comment_marker, "from the command line")
    assert (
        cli_run(
            [
                "--home",
                home,
                "draft",
                link,
                "--text",
                good,
                "--name",
                "Cli Carla",
                "--email",
                "carla@example.org",
            ]
        )
        == 0
    )
    # the identity is remembered for the site: the second draft needs no --name/--email
    assert cli_run(["--home", home, "draft", link, "--text", good + " again", "--json"]) == 0
    second = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert (second["name"], second["state"]) == ("Cli Carla", "queued")
    assert cli_run(["--home", home, "outbox", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["state"] for d in listed] == ["queued", "queued"]
    assert cli_run(["--home", home, "send"]) == 0
    out = capsys.readouterr().out
    assert out.count("published as comment #") == 2
    assert cli_run(["--home", home, "outbox"]) == 0
    assert "no unsent comments" in capsys.readouterr().out
    assert cli_run(["--home", home, "outbox", "--all", "--json"]) == 0
    assert {d["state"] for d in json.loads(capsys.readouterr().out)} == {"published"}
    # a failure: comments on post 8 are closed -> exit status 1, reason shown, draft kept
    closed = wp.post(8)["link"]
    assert cli_run(["--home", home, "draft", closed, "--text", unique(wp_comment_marker, "x")]) == 0
    capsys.readouterr()
    assert cli_run(["--home", home, "send", "--json"]) == 1
    [row] = json.loads(capsys.readouterr().out)
    assert row["state"] == "failed" and "closed" in row["message"]
    assert cli_run(["--home", home, "outbox"]) == 0
    assert "failed" in capsys.readouterr().out
    # retrying a failed draft by id queues it again (and it fails again: still closed)
    assert cli_run(["--home", home, "send", str(row["draft_id"])]) == 1
    assert "comments are closed" in capsys.readouterr().out
    # --hold keeps a draft out of the outbox; `send ID` queues and sends it
    assert (
        cli_run(
            [
                "--home",
                home,
                "draft",
                link,
                "--hold",
                "--json",
                "--text",
                unique(wp_comment_marker, "held back"),
            ]
        )
        == 0
    )
    held = json.loads(capsys.readouterr().out)
    assert held["state"] == "draft"
    assert cli_run(["--home", home, "outbox", "--json"]) == 0
    listed = {d["id"]: d["state"] for d in json.loads(capsys.readouterr().out)}
    assert listed[held["id"]] == "draft", "drafts being written are listed too"
    assert cli_run(["--home", home, "send"]) == 0
    assert "nothing to send" in capsys.readouterr().out
    assert cli_run(["--home", home, "send", str(held["id"])]) == 0
    assert "published as comment #" in capsys.readouterr().out


async def test_crash_check_reads_the_page_when_there_is_no_rest_api(
    wp, store, client, wp_comment_marker
):
    """A site without the REST API link: the duplicate check reads the page's comment list."""
    html = wp.store_post(store, OPEN_POST).raw_html
    html = html.replace(b'rel="https://api.w.org/"', b'rel="x-no-api"')
    record = wp.store_post(store, OPEN_POST, html=html)
    page = read_page(record.raw_html, record.url)
    assert page.api_root is None
    body = unique(wp_comment_marker, "no api on this site")
    draft = queued_draft(store, record, body)
    store.drafts.set_state(draft.id, "sending", count_attempt=True)
    first = await send_draft(store.drafts.get(draft.id), page, client=client)
    assert first.state == "published"
    [result] = await drain(store, client=client)
    assert (result.state, result.remote_id, result.via) == ("published", first.remote_id, "check")
    assert len(on_server(wp, body)) == 1


async def test_crash_on_a_moderated_post_does_not_post_twice(wp, store, client, wp_comment_marker):
    """Held comments are not public, so the check cannot see them: the server's 409 saves us."""
    record = wp.store_post(store, 6)
    body = unique(wp_comment_marker, "held and interrupted")
    draft = queued_draft(store, record, body)
    store.drafts.set_state(draft.id, "sending", count_attempt=True)
    first = await send_draft(
        store.drafts.get(draft.id), read_page(record.raw_html, record.url), client=client
    )
    assert first.state == "moderation"
    [result] = await drain(store, client=client)
    assert result.sent and "duplicate" in result.message
    held = wp.rest_comments(6, admin=True, status="hold", search=body.split()[-1])
    assert [str(c["id"]) for c in held] == [first.remote_id]


def test_a_site_that_can_never_be_reached_fails_for_good() -> None:
    from reader.comments.outbox import unreachable

    assert "demo site" in (unreachable("https://demo.reader.invalid/2026/post/") or "")
    assert ".invalid" in (unreachable("http://blog.example.invalid./x") or "")
    assert unreachable("https://example.org/post/") is None
    assert unreachable("http://127.0.0.1:8765/?p=1") is None
