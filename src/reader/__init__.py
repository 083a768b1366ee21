"""reader: a terminal news reader with clean articles, quotations, related posts and offline comments."""

__version__ = "0.1.0"
