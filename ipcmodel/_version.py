"""The single place the package version is written (read by the build backend)."""

__version__ = "0.1.0"
