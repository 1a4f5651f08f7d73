"""The JSON API (``/api/v1/``), described at ``/schema/openapi.json``."""
