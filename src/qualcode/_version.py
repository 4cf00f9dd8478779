"""The version of qualcode, in one place (the package and every module that records it)."""

__version__ = "0.1.0"
