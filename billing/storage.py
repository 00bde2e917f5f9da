"""Where coverage cards are kept: PRIVATE_MEDIA_ROOT (var/private by
default), a folder outside MEDIA_ROOT and the static files, that no URL
serves. A file has no URL (`url()` raises): it is read only by the view that
applies the access policy and audits the view (billing.views.coverage)."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="billing.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    # Read from the settings on each use, so a test can point it elsewhere.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; they are served through the access policy.")


private_storage = PrivateStorage()
