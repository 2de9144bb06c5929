"""The package version, in the bottom layer (the spec cache keys on it)."""

__version__ = "0.1.0"
