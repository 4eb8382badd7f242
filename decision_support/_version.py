"""The version of seimbang, in one place."""

__version__ = "0.1.0"
