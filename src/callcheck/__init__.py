"""callcheck: time and score mystery calls to public agencies' telephone service."""

__version__ = "0.1.0"
