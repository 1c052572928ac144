"""Sphinx configuration of dopasim's documentation: ``sphinx-build -W -b html docs docs/_build/html``."""

from importlib import metadata

project = "dopasim"
author = "the dopasim developers"
release = version = metadata.version("dopasim")
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
myst_heading_anchors = 3
exclude_patterns = ["_build", "validation/*/report.md", "design/*.md"]
html_theme = "pydata_sphinx_theme"
html_title = "dopasim"
