"""reader: a terminal news reader: clean articles, quotations, related posts, offline comments."""

__version__ = "0.1.0"
