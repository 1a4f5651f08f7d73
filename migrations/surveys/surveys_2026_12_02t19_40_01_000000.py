"""The initiatives an existing database already has are marked as made from their packs.

Before packs existed the three were written into the code; the packs of the same names now
hold exactly that set-up. Nothing else about them changes: their questionnaires, partners,
codebooks and privacy wording are the database's, as a lead left them. The notice's controller,
if still left blank, was shown as the council until now (a default in the code); it is written
in, so the notice people read stays word for word the same.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T19:40:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Initiatives made before packs name their packs"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)

    async def made_from_their_packs():
        from surveys.tables import Initiative

        shipped = "slug IN ('art-at-the-start', 'cmhwf', 'anew')"
        await Initiative.raw(f"UPDATE initiative SET pack = slug WHERE {shipped} AND pack = ''")
        await Initiative.raw(
            f"UPDATE initiative SET privacy_controller = {{}} WHERE {shipped} AND privacy_controller = ''",
            "Dundee City Council (Children and Families Service).",
        )

    manager.add_raw(made_from_their_packs)
    return manager
