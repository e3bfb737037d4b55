"""The dossiers behind a figure as CSV bytes (UTF-8 with BOM so Excel shows Vietnamese correctly),
in the documented import columns, so an exported list can be imported again."""

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from dossiers.computation import LOCAL_ZONE
from dossiers.models import Authority, Channel, Dossier
from dossiers.reading import COLUMNS, Kind

CHANNEL_TEXT: dict[str, str] = {Channel.ONLINE: "Trực tuyến", Channel.DIRECT: "Trực tiếp", Channel.POST: "Bưu chính"}
AUTHORITY_TEXT: dict[str, str] = {Authority.OWN: "Xã", Authority.OTHER: "Khác"}


def _cell(kind: str, value: object) -> str:
    if value is None:
        return ""
    if kind in (Kind.MOMENT, Kind.DUE) and isinstance(value, datetime):
        return value.astimezone(LOCAL_ZONE).strftime("%d/%m/%Y %H:%M:%S")
    if kind == Kind.BOOL:
        return "Có" if value else "Không"
    if kind == Kind.CHANNEL:
        return CHANNEL_TEXT.get(str(value), str(value))
    if kind == Kind.AUTHORITY:
        return AUTHORITY_TEXT.get(str(value), str(value))
    return str(value)


def dossiers_csv(dossiers: Iterable[Dossier]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Hệ thống nguồn", *(column.header for column in COLUMNS)])
    for dossier in dossiers:
        writer.writerow(
            [dossier.source_system, *(_cell(column.kind, getattr(dossier, column.name)) for column in COLUMNS)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
