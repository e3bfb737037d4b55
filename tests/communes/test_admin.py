"""Tests for the communes admin: the city administrator configures their own province's communes."""

import unicodedata

from communes.models import Commune, Province
from tests.base import BaseTestCase


class CommuneAdminTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The city administrator reaches the admin (seed_demo and the user admin set is_staff).
        cls.city_admin.is_staff = True
        cls.city_admin.save(update_fields=["is_staff"])
        cls.reviewer.is_staff = True
        cls.reviewer.save(update_fields=["is_staff"])

    def change_data(self, commune: Commune, **changes: str) -> dict:
        data = {
            field: getattr(commune, field)
            for field in (
                "header_parent",
                "header_agency",
                "place_name",
                "document_symbol",
                "signer_authority",
                "signer_position",
                "signer_name",
                "recipients",
            )
        }
        return data | changes

    def test_the_city_admin_sees_their_communes_only(self) -> None:
        self.login(self.city_admin)
        response = self.client.get("/admin/communes/commune/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Xã Hùng Thắng")
        self.assertContains(response, "Xã Bình Giang")
        self.assertNotContains(response, "Phường Ba Đình")
        self.assertNotContains(response, "Thành phố Hà Nội")

    def test_the_city_admin_edits_a_communes_document_details(self) -> None:
        self.login(self.city_admin)
        self.assertEqual(self.client.get("/admin/communes/commune/11809/change/").status_code, 200)
        data = self.change_data(self.commune_a, signer_name="Trần Đình Nhuận")
        response = self.client.post("/admin/communes/commune/11809/change/", data)
        self.assertRedirects(response, "/admin/communes/commune/")
        self.commune_a.refresh_from_db()
        self.assertEqual(self.commune_a.signer_name, "Trần Đình Nhuận")

    def test_the_city_admin_cannot_change_the_official_name_or_code(self) -> None:
        self.login(self.city_admin)
        data = self.change_data(self.commune_a, name="Xã Khác", code="1")
        self.client.post("/admin/communes/commune/11809/change/", data)
        self.commune_a.refresh_from_db()
        self.assertEqual(self.commune_a.name, "Xã Hùng Thắng")
        self.assertFalse(Commune.objects.filter(pk=1).exists())

    def test_the_city_admin_cannot_open_or_change_another_provinces_commune(self) -> None:
        self.login(self.city_admin)
        response = self.client.get("/admin/communes/commune/4/change/")
        self.assertRedirects(response, "/admin/")
        self.client.post("/admin/communes/commune/4/change/", self.change_data(self.commune_c, signer_name="X"))
        self.commune_c.refresh_from_db()
        self.assertEqual(self.commune_c.signer_name, "")

    def test_the_city_admin_neither_adds_nor_deletes_communes(self) -> None:
        self.login(self.city_admin)
        self.assertEqual(self.client.get("/admin/communes/commune/add/").status_code, 403)
        self.assertEqual(self.client.post("/admin/communes/commune/11809/delete/", {"post": "yes"}).status_code, 403)
        self.assertTrue(Commune.objects.filter(pk=11809).exists())

    def test_the_city_admin_sets_their_provinces_margins_within_the_law(self) -> None:
        self.login(self.city_admin)
        fields = {"margin_top_mm": 20, "margin_bottom_mm": 20, "margin_right_mm": 15}
        response = self.client.post("/admin/communes/province/31/change/", {**fields, "margin_left_mm": 29})
        self.assertContains(response, "Lề trái phải từ 30 đến 35 mm (Nghị định 30/2020).")
        self.assertEqual(Province.objects.get(pk=31).margin_left_mm, 30)
        response = self.client.post("/admin/communes/province/31/change/", {**fields, "margin_left_mm": 35})
        self.assertRedirects(response, "/admin/communes/province/")
        self.assertEqual(Province.objects.get(pk=31).margin_left_mm, 35)
        self.assertRedirects(self.client.get("/admin/communes/province/1/change/"), "/admin/")

    def test_other_staff_without_permissions_see_nothing(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.get("/admin/communes/commune/").status_code, 403)
        self.assertEqual(self.client.get("/admin/communes/commune/11809/change/").status_code, 403)

    def test_commune_staff_are_sent_to_the_admin_login(self) -> None:
        self.login(self.officer_a)
        response = self.client.get("/admin/communes/commune/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.url.startswith("/admin/login/"))

    def test_the_superuser_sees_every_commune(self) -> None:
        self.login(self.superuser)
        response = self.client.get("/admin/communes/commune/")
        for name in ("Xã Hùng Thắng", "Xã Bình Giang", "Phường Ba Đình"):
            self.assertContains(response, name)

    def test_control_characters_are_refused_and_nothing_is_stored(self) -> None:
        # They would make every DOCX of the commune unwritable (lxml refuses them).
        self.login(self.city_admin)
        for name in ("header_agency", "place_name", "document_symbol", "signer_name", "recipients"):
            with self.subTest(name=name):
                data = self.change_data(self.commune_a, **{name: "Hùng\x01Thắng"})
                response = self.client.post("/admin/communes/commune/11809/change/", data)
                self.assertContains(response, "Có ký tự điều khiển không in được (U+0001)")
                self.commune_a.refresh_from_db()
                self.assertNotIn("\x01", getattr(self.commune_a, name))

    def test_decomposed_vietnamese_is_stored_composed(self) -> None:
        self.login(self.city_admin)
        decomposed = unicodedata.normalize("NFD", "Trần Đình Nhuận")
        data = self.change_data(self.commune_a, signer_name=decomposed)
        self.client.post("/admin/communes/commune/11809/change/", data)
        self.commune_a.refresh_from_db()
        self.assertEqual(self.commune_a.signer_name, unicodedata.normalize("NFC", decomposed))
        self.assertNotEqual(self.commune_a.signer_name, decomposed)
