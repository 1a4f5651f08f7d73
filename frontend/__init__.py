"""Heard's faces: the web app (pages, API), the command line and the document exports.

:func:`frontend.app.create_app` is the one composition root that wires :mod:`surveys` and :mod:`voice`
into a Litestar application. ``docs/architecture.md`` maps the sub-packages and the way imports go.

The folders every face shares (templates, static files, translations, fonts) stay here, at the top,
so their URLs and the wheel's package data don't depend on which sub-package uses them.
"""

from pathlib import Path

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LOCALES = HERE / "locales"
FONTS = HERE / "fonts"
