"""Heard's free-text domain: quotes, redaction, themes, sentiment and moderation.

Builds on :mod:`surveys` (a quote belongs to an answer); knows nothing about HTTP or documents.
"""
