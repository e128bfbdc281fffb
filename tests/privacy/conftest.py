import pytest
from django.core.files.storage import FileSystemStorage

from applications.models import Application
from deliverables.models import SubmissionFile


@pytest.fixture
def storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(Application._meta.get_field("strategy_file"), "storage", storage)
    monkeypatch.setattr(SubmissionFile._meta.get_field("file"), "storage", storage)
    return storage
