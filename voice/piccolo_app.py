"""Piccolo app for the voice tables; migrations live in ``migrations/voice/``."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from voice.tables import TABLES

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "voice"

APP_CONFIG = AppConfig(
    app_name="voice",
    migrations_folder_path=str(MIGRATIONS),
    table_classes=TABLES,
    migration_dependencies=["surveys.piccolo_app"],
    commands=[],
)
