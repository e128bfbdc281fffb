"""The retention job, once a day (settings.CELERY_BEAT_SCHEDULE "privacy-retention")."""

from celery import shared_task

from . import services


@shared_task
def run_retention():
    return services.retention_run(actor=None).pk
