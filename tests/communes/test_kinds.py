"""Every one of the 3,321 communes gets a header, place name and recipients that match its kind
and its province's kind (vietnam-provinces, 2025 structure)."""

import re

from django.test import SimpleTestCase, TestCase

from communes import naming
from communes.loading import load_communes
from communes.models import Commune, CommuneKind, Province

XA_WORD = re.compile(r"\bxã\b", re.IGNORECASE)
CITY_WORDS = re.compile(r"\bthành phố\b", re.IGNORECASE)


class NamingTests(SimpleTestCase):
    def test_numbered_wards_keep_their_kind_in_the_short_name(self) -> None:
        self.assertEqual(naming.short_commune_name("Phường 1"), "Phường 1")
        self.assertEqual(naming.short_commune_name("Phường 2 Bảo Lộc"), "Phường 2 Bảo Lộc")
        self.assertEqual(naming.short_commune_name("Phường Hà Giang 1"), "Hà Giang 1")
        self.assertEqual(naming.short_commune_name("Xã Hùng Thắng"), "Hùng Thắng")

    def test_recipients_follow_the_commune_and_province_kinds(self) -> None:
        self.assertEqual(
            naming.default_recipients("phường", "tỉnh"),
            "Trung tâm Phục vụ hành chính công tỉnh\nCT, các PCT UBND phường\nLưu: VT, TTPVHCC",
        )
        self.assertEqual(
            naming.default_recipients("đặc khu", "thành phố trung ương").splitlines()[:2],
            ["Trung tâm Phục vụ hành chính công thành phố", "CT, các PCT UBND đặc khu"],
        )


class AllCommunesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_communes()

    def test_every_commune_reads_right_for_its_kind(self) -> None:
        communes = list(Commune.objects.select_related("province"))
        self.assertEqual(len(communes), 3321)
        self.assertEqual(Province.objects.count(), 34)
        problems = []
        for commune in communes:
            proper = naming.proper_name(commune.name)
            # The unit's own name may contain any word; only what is derived around it counts.
            derived = (
                "\n".join((commune.header_agency, commune.place_name, commune.recipients, commune.name_in_text))
                .replace(proper.upper(), "")
                .replace(proper, "")
            )
            if commune.kind != CommuneKind.XA and XA_WORD.search(derived):
                problems.append(f"{commune.code} {commune.name}: “xã” in {derived!r}")
            if commune.province.kind == "tỉnh" and CITY_WORDS.search(commune.recipients):
                problems.append(f"{commune.code} {commune.name}: “thành phố” in {commune.recipients!r}")
            expected_word = commune.get_kind_display().upper()
            if not commune.header_agency.splitlines()[1].startswith(expected_word + " "):
                problems.append(f"{commune.code}: header {commune.header_agency!r}")
            if f"UBND {commune.kind_word}" not in commune.recipients:
                problems.append(f"{commune.code}: recipients {commune.recipients!r}")
            if commune.place_name[:1].isdigit():
                problems.append(f"{commune.code}: place name {commune.place_name!r}")
        self.assertEqual(problems, [])
        bao_loc = Commune.objects.get(name="Phường 1 Bảo Lộc")
        self.assertEqual((bao_loc.place_name, bao_loc.name_in_text), ("Phường 1 Bảo Lộc", "phường 1 Bảo Lộc"))
        cat_hai = Commune.objects.get(name="Đặc khu Cát Hải")
        self.assertEqual(
            cat_hai.recipients.splitlines()[:2],
            ["Trung tâm Phục vụ hành chính công thành phố", "CT, các PCT UBND đặc khu"],
        )

    def test_reloading_refreshes_underived_details_and_keeps_edited_ones(self) -> None:
        ward = Commune.objects.get(name="Phường 1 Bảo Lộc")
        Commune.objects.filter(pk=ward.pk).update(place_name="1 Bảo Lộc", recipients=naming.LEGACY_RECIPIENTS)
        edited = Commune.objects.exclude(pk=ward.pk).filter(kind=CommuneKind.PHUONG).first()
        assert edited is not None
        Commune.objects.filter(pk=edited.pk).update(recipients="Sở Nội vụ\nLưu: VT")
        load_communes(int(ward.province_id))
        load_communes(int(edited.province_id))
        ward.refresh_from_db()
        edited.refresh_from_db()
        self.assertEqual(ward.place_name, "Phường 1 Bảo Lộc")
        self.assertIn("CT, các PCT UBND phường", ward.recipients)
        self.assertEqual(edited.recipients, "Sở Nội vụ\nLưu: VT")
