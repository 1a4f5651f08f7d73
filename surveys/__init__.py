"""Heard's survey domain: initiatives, questionnaires, sessions, responses, pseudonyms and aggregation.

Plain async services over Piccolo tables. Nothing here knows about HTTP, the command line or
document formats, and nothing here imports :mod:`voice`.
"""
