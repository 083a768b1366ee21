"""Turn stored articles into what the reading pane shows.

Submodules are imported where they are used, never from here, so that importing
``reader.render`` stays cheap and pulls in no heavy dependency (markdownify) by accident.
"""
