"""Uploaded files waiting for the officer to match their columns, kept under MEDIA_ROOT by hash.

The officer's second request names the file by its SHA-256; the commune is part of the path, so
one commune can never reach another's file. Files older than a day are removed on each upload.
"""

import hashlib
import re
import time
from pathlib import Path

from django.conf import settings

STAGING_DIR = "dossier-staging"
MAX_AGE_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{64}$")


def _folder(commune_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / STAGING_DIR / str(commune_id)


def stage(commune_id: int, data: bytes) -> str:
    folder = _folder(commune_id)
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder)
    token = hashlib.sha256(data).hexdigest()
    (folder / token).write_bytes(data)
    return token


def staged(commune_id: int, token: str) -> bytes | None:
    if not TOKEN.match(token or ""):
        return None
    path = _folder(commune_id) / token
    try:
        return path.read_bytes()
    except OSError:
        return None


def discard(commune_id: int, token: str) -> None:
    if TOKEN.match(token or ""):
        (_folder(commune_id) / token).unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
