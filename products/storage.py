"""Storage of files that must not be reachable by a public URL.

Materials, covers and (later) signed documents are stored under
PRIVATE_MEDIA_ROOT, which no web server exposes; views that check
permission stream them.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = FileSystemStorage(
            location=settings.PRIVATE_MEDIA_ROOT, base_url=None
        )

    def deconstruct(self):
        return ("products.storage.private_storage_factory", [], {})


def private_storage_factory() -> PrivateStorage:
    return private_storage


private_storage = PrivateStorage()
