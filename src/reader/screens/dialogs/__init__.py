"""Modal dialogs: pushed from the main screen (or from the app: help), dismissed with an answer."""
