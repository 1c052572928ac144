"""Sphinx configuration of dopasim's documentation: ``sphinx-build -W -b html docs docs/_build/html``.

The reference pages (every region type, rule, task, preset and disease with every parameter, and the
command line) are written from the code's declarations when the build starts
(:func:`dopasim.reference.write_reference`); the gallery runs ``examples/`` and shows their figures.
"""

from importlib import metadata
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).parent

project = "dopasim"
author = "the dopasim developers"
copyright = "the dopasim developers"
release = version = metadata.version("dopasim")
extensions = ["myst_parser", "sphinx.ext.autodoc", "numpydoc", "sphinx_gallery.gen_gallery"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_heading_anchors = 3
# snippets are included into the task and circuit pages; the gallery's by-products are not pages
exclude_patterns = ["_build", "validation/*/report.md", "reference/generated/snippets/*", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json", "auto_examples/*.md5"]
html_theme = "pydata_sphinx_theme"
html_title = "dopasim"
html_theme_options = {"navigation_depth": 2, "show_toc_level": 2}

autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc sections say the types
numpydoc_show_class_members = False
numpydoc_validation_checks = set()  # tests/test_docs.py holds the public API to its docstrings

sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": str(HERE / "auto_examples"),
    "filename_pattern": r".*\.py",  # run every example: their figures are the gallery's
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "abort_on_example_error": True,
}


def _write_reference(app):
    from dopasim.reference import write_reference

    write_reference(HERE / "reference" / "generated", HERE.parent)


def setup(app):
    app.connect("builder-inited", _write_reference)
