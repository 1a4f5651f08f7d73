"""Piccolo app for the survey tables; migrations live in ``migrations/surveys/``."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from surveys.tables import TABLES

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "surveys"

APP_CONFIG = AppConfig(
    app_name="surveys",
    migrations_folder_path=str(MIGRATIONS),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)
