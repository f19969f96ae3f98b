"""The Textual user interface. The core (`callcheck.*`) never imports from here."""
