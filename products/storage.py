"""Storage of files that must not be reachable by a public URL.

Materials, covers and (later) signed documents go to the ``private`` storage
of ``STORAGES`` (by default PRIVATE_MEDIA_ROOT on disk, which no web server
exposes); views that check permission stream them.
"""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Return the private storage; a callable keeps paths out of migrations."""
    return storages["private"]
