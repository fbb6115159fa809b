"""The release number: written here once, read by the build (pyproject.toml's dynamic version)
and by ``translator --version`` without asking the installed package's metadata, whose import
costs about as much as the rest of start-up."""

__version__ = "0.1.0"
