"""Comments: read an article's thread, write drafts offline, send them later without loss.

- ``thread`` fetches a thread (WordPress REST API, comment feed or the page) and caches it.
- ``send`` posts one draft through the page's classic form or the REST API.
- ``outbox`` queues drafts and drains the outbox, never posting a comment twice.
- ``page_parts`` and ``wp`` hold the page reading and REST helpers those three share.

Core code: never imports textual; httpx and lxml are imported only when used.
"""
