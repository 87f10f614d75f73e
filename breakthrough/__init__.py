"""Breakthrough: run a Breakthrough Series Collaborative end to end."""

__version__ = "0.1.0"
