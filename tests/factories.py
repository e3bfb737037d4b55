"""Plain factory functions with defaults; each returns a saved object."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from communes import naming
from communes.models import Commune, CommuneKind, Membership, Province
from reports import periods
from reports.models import Period, Report, ReportingRegime

PASSWORD = "test-pass-2026"


def make_province(code: int = 31, name: str = "Thành phố Hải Phòng") -> Province:
    province, _ = Province.objects.get_or_create(code=code, defaults={"name": name, "kind": "thành phố trung ương"})
    return province


def make_commune(code: int, name: str, province: Province | None = None, **fields: Any) -> Commune:
    province = province or make_province()
    defaults = {
        "province": province,
        "name": name,
        "kind": CommuneKind.XA,
        "header_agency": naming.default_header_lines(name),
        "place_name": naming.short_commune_name(name),
        **fields,
    }
    commune, _ = Commune.objects.update_or_create(code=code, defaults=defaults)
    return commune


def make_user(
    username: str,
    role: str | None = None,
    *,
    commune: Commune | None = None,
    province: Province | None = None,
    can_submit: bool = False,
    superuser: bool = False,
    staff: bool = False,
) -> AbstractUser:
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.invalid", first_name=username
    )
    if superuser or staff:
        user.is_superuser = superuser
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    if role:
        Membership.objects.create(user=user, role=role, commune=commune, province=province, can_submit=can_submit)
    return user


def make_regime(
    province: Province | None = None, name: str = "Báo cáo CCHC hằng tháng", **fields: Any
) -> ReportingRegime:
    defaults = {
        "directive": "Công văn số 137/UBND-TTPVHCC ngày 23/01/2026 của UBND thành phố về việc báo cáo cải cách thủ tục hành chính hàng tháng",
        "opening_template": "Thực hiện {directive}; Ủy ban nhân dân {commune_name} báo cáo kết quả {period_label} như sau:",
        "closing_template": "Trên đây là báo cáo {period_label}./.",
        **fields,
    }
    regime, _ = ReportingRegime.objects.get_or_create(
        province=province or make_province(), name=name, defaults=defaults
    )
    return regime


def make_period(regime: ReportingRegime | None = None, slug: str = "2026-05") -> Period:
    regime = regime or make_regime()
    key = periods.PeriodKey.parse(slug, periods.Frequency(regime.frequency))
    start, end = regime.window(key)
    period, _ = Period.objects.get_or_create(
        regime=regime,
        year=key.year,
        number=key.number,
        defaults={
            "start": start,
            "end": end,
            "deadline": regime.deadline_for(key),
        },
    )
    return period


def make_report(commune: Commune, period: Period | None = None, **fields: Any) -> Report:
    period = period or make_period()
    if fields.get("status") == "issued":
        # An issued report always carries its number and date (a database constraint).
        fields.setdefault("number", 1)
        fields.setdefault("issued_on", period.end)
    return Report.objects.create(commune=commune, period=period, **fields)


def day(text: str) -> date:
    """ "14/5/2026" -> date(2026, 5, 14), so expected dates read as they are written."""
    d, m, y = (int(part) for part in text.split("/"))
    return date(y, m, d)
