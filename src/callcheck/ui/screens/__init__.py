"""Screens of the callcheck app."""
