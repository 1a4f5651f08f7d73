"""Piccolo's configuration: the engine named by ``DATABASE_URL`` and Heard's apps.

The engine is chosen once, from the environment, before the first query (tests set the
environment first, as Piccolo's own suite does).
"""

from piccolo.conf.apps import AppRegistry

from surveys.db import database_url, engine_from_url

DB = engine_from_url(database_url())

APP_REGISTRY = AppRegistry(apps=["surveys.piccolo_app", "voice.piccolo_app"])
