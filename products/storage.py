"""Storage of files that must not be reachable by a public URL.

Materials, covers and (later) signed documents go to the ``private`` storage
of ``STORAGES`` (by default PRIVATE_MEDIA_ROOT on disk, which no web server
exposes); views that check permission stream them.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """The private storage, looked up when first used.

    Fields keep this object, so a change of STORAGES (in tests, say) reaches
    them: the lookup is repeated after the setting changes.
    """

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """Return the private storage; a callable keeps paths out of migrations."""
    return private


@receiver(setting_changed)
def _forget_private_storage(*, setting: str, **kwargs) -> None:
    if setting in {"STORAGES", "PRIVATE_MEDIA_ROOT"}:
        private._wrapped = empty
