"""Demo accounts for a newcomer's machine (never for production)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from communes.models import Commune, Membership, Province, Role

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - demo-only, printed by seed_demo and README
HAI_PHONG = 31
HUNG_THANG = 11809
BINH_GIANG = 10966


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None
    commune_code: int | None = None
    province_code: int | None = None
    can_submit: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("canbo.hungthang", "Nguyễn Thị Lan", Role.COMMUNE_OFFICER, commune_code=HUNG_THANG),
    DemoAccount("lanhdao.hungthang", "Trần Đình Nhuận", Role.COMMUNE_LEADER, commune_code=HUNG_THANG),
    DemoAccount("canbo.binhgiang", "Phạm Văn Minh", Role.COMMUNE_OFFICER, commune_code=BINH_GIANG),
    DemoAccount("lanhdao.binhgiang", "Vũ Thị Hòa", Role.COMMUNE_LEADER, commune_code=BINH_GIANG),
    DemoAccount("trungtam.haiphong", "Lê Thu Hà", Role.CITY_REVIEWER, province_code=HAI_PHONG),
    DemoAccount("quantri.haiphong", "Đỗ Quang Huy", Role.CITY_ADMIN, province_code=HAI_PHONG),
    DemoAccount("admin", "Quản trị hệ thống", None),
)


@transaction.atomic
def create_demo_accounts() -> list[DemoAccount]:
    """Create or reset the demo accounts; needs the Hải Phòng communes loaded first."""
    if not Commune.objects.filter(pk__in=[HUNG_THANG, BINH_GIANG]).count() == 2:
        raise ValueError("Chưa nạp danh mục xã của Hải Phòng: chạy python manage.py load_communes --province 31.")
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        first, _, last = account.full_name.rpartition(" ")
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = first, last
        user.email = f"{account.username}@example.invalid"
        user.is_superuser = user.is_staff = account.role is None
        # The city administrator configures regimes and communes in the admin.
        if account.role == Role.CITY_ADMIN:
            user.is_staff = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        if account.role is None:
            Membership.objects.filter(user=user).delete()
            continue
        Membership.objects.update_or_create(
            user=user,
            defaults={
                "role": account.role,
                "commune_id": account.commune_code,
                "province": Province.objects.get(pk=account.province_code) if account.province_code else None,
                "can_submit": account.can_submit,
            },
        )
    return list(DEMO_ACCOUNTS)
