"""Heard's faces: the web app (pages, API), the command line and the document exports.

:func:`frontend.app.create_app` is the one composition root that wires :mod:`surveys` and :mod:`voice`
into a Litestar application.
"""
