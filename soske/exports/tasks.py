from celery import shared_task


@shared_task
def build_export(export_id):
    """Build one export; its state and any failure go on its row."""
    from .services import export_build

    export = export_build(export_id)
    return export.state if export is not None else None


@shared_task
def purge_exports():
    """Once a day (settings.CELERY_BEAT_SCHEDULE "exports-purge")."""
    from .services import purge_expired

    return purge_expired()
