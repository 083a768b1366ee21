"""Sync with a server over the Google Reader API (FreshRSS, Miniflux, Inoreader, ...).

``greader.py`` is the client (not server-specific), ``quirks.py`` every dialect detail it
copes with, ``accounts.py`` logging in and keeping the token, ``engine.py`` one sync of one
account. Core: never imports textual.
"""
