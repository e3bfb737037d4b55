"""The admin page of the Centre's details (/admin/reports/citycentre/): city administrators set
their own province's, which the Centre's report prints."""

import unicodedata

from reports.models import CityCentre
from tests.base import BaseTestCase

ADD = "/admin/reports/citycentre/add/"


def centre_form_data(province_code: int, **changes: str) -> dict[str, object]:
    data = {
        "province": province_code,
        "header_parent": "UBND THÀNH PHỐ HẢI PHÒNG",
        "header_agency": "TRUNG TÂM PHỤC VỤ\nHÀNH CHÍNH CÔNG",
        "name_in_text": "Trung tâm Phục vụ hành chính công thành phố",
        "place_name": "Hải Phòng",
        "document_symbol": "BC-TTPVHCC",
        "signer_authority": "KT. GIÁM ĐỐC",
        "signer_position": "PHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Bình",
        "recipients": "UBND thành phố\nLưu: VT, TTPVHCC",
    }
    return data | changes


class CityCentreAdminTests(BaseTestCase):
    def test_the_add_form_starts_from_the_provinces_defaults(self) -> None:
        self.login(self.city_admin)
        response = self.client.get(ADD)
        self.assertContains(response, "UBND THÀNH PHỐ HẢI PHÒNG")
        self.assertContains(response, "Trung tâm Phục vụ hành chính công thành phố")

    def test_the_city_admin_sets_their_provinces_centre_in_nfc(self) -> None:
        self.login(self.city_admin)
        data = centre_form_data(31, signer_name=unicodedata.normalize("NFD", "Nguyễn Văn Bình"))
        response = self.client.post(ADD, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        centre = CityCentre.objects.get()
        self.assertEqual((centre.province_id, centre.signer_name), (31, "Nguyễn Văn Bình"))

    def test_another_province_cannot_be_chosen_or_seen(self) -> None:
        fields = centre_form_data(1)
        del fields["province"]
        CityCentre.objects.create(province=self.other_province, **fields)
        self.login(self.city_admin)
        response = self.client.post(ADD, centre_form_data(1))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(CityCentre.objects.filter(province_id=1).get().signer_name, "Nguyễn Văn Bình")
        self.assertEqual(self.client.get("/admin/reports/citycentre/1/change/").status_code, 302)

    def test_reviewers_and_commune_staff_have_no_access(self) -> None:
        for user in (self.reviewer, self.officer_a):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertNotEqual(self.client.get(ADD).status_code, 200)
