"""Rendered files kept on disk, keyed by the SHA-256 of everything the document shows.

The key hashes the built `ReportDocument` (every display string, number and layout value) and a
fingerprint of the renderers themselves (their code, print templates, stylesheet, fonts and library
versions). An edit that changes what a report shows changes its key, and a deploy that changes how
documents are drawn changes every key, so nothing is ever invalidated by hand. Files are written
under a temporary name and renamed, so a reader never sees half a file, even with several workers
rendering the same report at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.conf import settings

from reports.rendering.document import ReportDocument

# Bump when the output changes for a reason the fingerprinted files below do not capture.
RENDERER_VERSION = "1"
CACHED_FORMATS = ("pdf", "docx")
# Libraries whose upgrade may change the bytes of a rendered file.
RENDERING_LIBRARIES = ("weasyprint", "pydyf", "python-docx", "fonttools")


def document_key(doc: ReportDocument) -> str:
    """SHA-256 of the document's content, serialised deterministically (sorted keys, NFC strings as built)."""
    payload = json.dumps(dataclasses.asdict(doc), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@cache
def renderer_fingerprint() -> str:
    """What the renderers are made of, hashed once per process."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(f"v{RENDERER_VERSION}".encode())
    for name in RENDERING_LIBRARIES:
        digest.update(f"{name}={version(name)};".encode())
    sources = [
        *sorted((base / "reports" / "rendering").glob("*.py")),
        *sorted((base / "templates" / "reports" / "print").glob("*.html")),
        base / "static" / "css" / "print.css",
        *sorted((base / "static" / "fonts").glob("*.ttf")),
    ]
    for path in sources:
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_key(doc: ReportDocument, fmt: str) -> str:
    return hashlib.sha256(f"{renderer_fingerprint()}:{fmt}:{document_key(doc)}".encode()).hexdigest()


def cache_dir() -> Path:
    return Path(settings.RENDER_CACHE_DIR)


def cache_path(key: str, fmt: str) -> Path:
    # Two levels of fan-out keep directories small at national scale (3,321 communes × periods).
    return cache_dir() / key[:2] / f"{key}.{fmt}"


def cached_render(doc: ReportDocument, fmt: str, render: Callable[[ReportDocument], bytes]) -> bytes:
    """The rendered bytes of `doc` from the cache, or rendered now and stored."""
    path = cache_path(cache_key(doc, fmt), fmt)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render(doc)
    store_atomically(path, data)
    return data


def store_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over `path` (atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
