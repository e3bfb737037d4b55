"""Loads the official provinces and communes (2025 structure) from the vietnam-provinces package."""

from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province as VnProvince
from vietnam_provinces import Ward as VnWard

from communes import naming
from communes.models import Commune, CommuneKind, Province
from reports.text import nfc

KIND_BY_DIVISION = {"xã": CommuneKind.XA, "phường": CommuneKind.PHUONG, "đặc khu": CommuneKind.DAC_KHU}


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    created: int
    updated: int


@transaction.atomic
def load_communes(province_code: int | None = None) -> LoadResult:
    """Create or refresh provinces and communes; a commune's document details are kept once edited."""
    # "is not None": code 0 is an unknown province, not "all of them".
    provinces = (
        [VnProvince.from_code(province_code)]  # type: ignore[arg-type]
        if province_code is not None
        else list(VnProvince.iter_all())
    )
    wanted = {int(p.code) for p in provinces}
    province_kinds = {int(p.code): nfc(str(p.division_type)) for p in provinces}
    for vn_province in provinces:
        Province.objects.update_or_create(
            code=int(vn_province.code),
            defaults={"name": nfc(vn_province.name), "kind": str(vn_province.division_type)},
        )
    existing = {c.code: c for c in Commune.objects.filter(province_id__in=wanted)}
    to_create: list[Commune] = []
    to_update: list[Commune] = []
    for ward in VnWard.iter_all():
        if int(ward.province_code) not in wanted:
            continue
        name = naming.official_name(ward.name)
        kind = KIND_BY_DIVISION[str(ward.division_type)]
        recipients = naming.default_recipients(kind.label.lower(), province_kinds[int(ward.province_code)])
        commune = existing.get(int(ward.code))
        if commune is None:
            to_create.append(
                Commune(
                    code=int(ward.code),
                    province_id=int(ward.province_code),
                    name=name,
                    kind=kind,
                    header_agency=naming.default_header_lines(name),
                    place_name=naming.short_commune_name(name),
                    recipients=recipients,
                )
            )
            continue
        before = (commune.name, commune.kind, commune.province_id, commune.place_name, commune.recipients)
        commune.name, commune.kind, commune.province_id = name, kind, int(ward.province_code)
        # Details still as first derived (never edited) follow the kinds; edited ones are kept.
        if commune.recipients == naming.LEGACY_RECIPIENTS:
            commune.recipients = recipients
        if commune.place_name == naming.proper_name(name) != naming.short_commune_name(name):
            commune.place_name = naming.short_commune_name(name)
        if before != (commune.name, commune.kind, commune.province_id, commune.place_name, commune.recipients):
            to_update.append(commune)
    Commune.objects.bulk_create(to_create, batch_size=500)
    Commune.objects.bulk_update(to_update, ["name", "kind", "province", "place_name", "recipients"], batch_size=500)
    return LoadResult(provinces=len(provinces), created=len(to_create), updated=len(to_update))
