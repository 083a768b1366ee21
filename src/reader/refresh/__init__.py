"""Refreshing subscriptions: many feeds at once, each one's fate decided alone.

Apart from ``reader.net`` (HTTP: the client and its connection pools), which knows nothing of
feeds. ``engine`` runs a refresh (``refresh()``, ``Refresher``); ``fate`` holds the HTTP rules
as one pure function; ``hosts`` spreads feeds over hosts and caps each; ``pipeline`` and
``worker`` are the CLI's parser and store processes; ``wordpress`` reads WordPress sites
through their REST API; ``checkpoint`` keeps the WAL small during a run; ``summary`` is what a
run reports. Nothing is imported here: ``import reader.refresh`` stays free for the CLI.
"""
