"""Readers turn source formats into tidy tables. They never touch the database or import Django apps."""

from .errors import InputError

__all__ = ["InputError"]
