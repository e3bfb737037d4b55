"""Tests for the load_communes command (communes/loading.py) and the names it derives (communes/naming.py)."""

import unicodedata
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from communes import naming
from communes.models import Commune, CommuneKind, Province


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_communes", *args, stdout=out)
    return out.getvalue()


class LoadCommunesTests(TestCase):
    def test_loads_hai_phong_by_default(self) -> None:
        output = load()
        self.assertEqual(output, "Đã nạp 1 tỉnh, thành phố: tạo mới 114 xã, phường; cập nhật 0.\n")
        self.assertEqual(list(Province.objects.values_list("code", "name")), [(31, "Thành phố Hải Phòng")])
        self.assertEqual(Commune.objects.filter(province_id=31).count(), 114)
        self.assertEqual(Commune.objects.count(), 114)

    def test_hung_thang_gets_its_document_details(self) -> None:
        load("--province", "31")
        commune = Commune.objects.get(pk=11809)
        self.assertEqual(commune.name, "Xã Hùng Thắng")
        self.assertEqual(commune.kind, CommuneKind.XA)
        self.assertEqual(commune.header_agency, "ỦY BAN NHÂN DÂN\nXÃ HÙNG THẮNG")
        self.assertEqual(commune.place_name, "Hùng Thắng")
        self.assertEqual(commune.document_symbol, "BC-UBND")
        self.assertEqual(commune.header_parent, "")
        self.assertEqual(commune.name_in_text, "xã Hùng Thắng")

    def test_binh_giang_is_loaded(self) -> None:
        load()
        commune = Commune.objects.get(pk=10966)
        self.assertEqual(commune.name, "Xã Bình Giang")
        self.assertEqual(commune.province_id, 31)
        self.assertEqual(commune.place_name, "Bình Giang")

    def test_wards_and_special_zones_get_their_kind_and_header(self) -> None:
        load()
        cat_hai = Commune.objects.get(pk=11914)
        self.assertEqual(cat_hai.name, "Đặc khu Cát Hải")
        self.assertEqual(cat_hai.kind, CommuneKind.DAC_KHU)
        self.assertEqual(cat_hai.header_agency, "ỦY BAN NHÂN DÂN\nĐẶC KHU CÁT HẢI")
        self.assertEqual(cat_hai.place_name, "Cát Hải")
        self.assertEqual(cat_hai.name_in_text, "đặc khu Cát Hải")
        ward = Commune.objects.filter(kind=CommuneKind.PHUONG).first()
        self.assertTrue(ward.name.startswith("Phường "))
        self.assertTrue(ward.header_agency.startswith("ỦY BAN NHÂN DÂN\nPHƯỜNG "))

    def test_every_stored_name_is_nfc(self) -> None:
        load()
        for name, header, place in Commune.objects.values_list("name", "header_agency", "place_name"):
            for text in (name, header, place):
                self.assertTrue(unicodedata.is_normalized("NFC", text), text)

    def test_running_twice_creates_nothing_new_and_keeps_edits(self) -> None:
        load()
        Commune.objects.filter(pk=11809).update(signer_name="Trần Đình Nhuận", place_name="Hùng Thắng, Hải Phòng")
        output = load()
        self.assertEqual(output, "Đã nạp 1 tỉnh, thành phố: tạo mới 0 xã, phường; cập nhật 0.\n")
        self.assertEqual(Commune.objects.count(), 114)
        self.assertEqual(Province.objects.count(), 1)
        commune = Commune.objects.get(pk=11809)
        self.assertEqual(commune.signer_name, "Trần Đình Nhuận")
        self.assertEqual(commune.place_name, "Hùng Thắng, Hải Phòng")

    def test_a_changed_official_name_is_brought_back(self) -> None:
        load()
        Commune.objects.filter(pk=11809).update(name="Xã Cũ", kind=CommuneKind.PHUONG)
        output = load()
        self.assertIn("cập nhật 1.", output)
        commune = Commune.objects.get(pk=11809)
        self.assertEqual((commune.name, commune.kind), ("Xã Hùng Thắng", CommuneKind.XA))

    def test_keeps_an_edited_province_margin(self) -> None:
        load()
        Province.objects.filter(pk=31).update(margin_left_mm=35)
        load()
        self.assertEqual(Province.objects.get(pk=31).margin_left_mm, 35)

    def test_all_provinces(self) -> None:
        output = load("--province", "all")
        self.assertEqual(output, "Đã nạp 34 tỉnh, thành phố: tạo mới 3321 xã, phường; cập nhật 0.\n")
        self.assertEqual(Province.objects.count(), 34)
        self.assertEqual(Commune.objects.count(), 3321)
        self.assertEqual(Commune.objects.filter(province_id=31).count(), 114)
        self.assertEqual(Commune.objects.filter(kind=CommuneKind.DAC_KHU).count(), 13)
        self.assertEqual(Province.objects.get(pk=1).name, "Thành phố Hà Nội")
        self.assertEqual(Province.objects.get(pk=1).short_name, "Hà Nội")

    def test_all_provinces_after_one_adds_only_the_rest(self) -> None:
        load()
        self.assertIn("tạo mới 3207 xã, phường", load("--province", "all"))

    def test_names_written_with_a_lower_case_unit_are_capitalised(self) -> None:
        # vietnam-provinces spells ward 6325 of Lạng Sơn "xã Bắc Sơn".
        load("--province", "20")
        commune = Commune.objects.get(pk=6325)
        self.assertEqual(commune.name, "Xã Bắc Sơn")
        self.assertEqual(commune.place_name, "Bắc Sơn")
        self.assertEqual(commune.header_agency, "ỦY BAN NHÂN DÂN\nXÃ BẮC SƠN")

    def test_an_unknown_province_is_refused_in_vietnamese(self) -> None:
        for value in ("99", "0", "-1"):
            with (
                self.subTest(value=value),
                self.assertRaisesMessage(CommandError, f"Không có tỉnh, thành phố mã {value}."),
            ):
                load("--province", value)
        self.assertEqual(Commune.objects.count(), 0)
        self.assertEqual(Province.objects.count(), 0)

    def test_a_province_that_is_not_a_number_is_refused_in_vietnamese(self) -> None:
        for value in ("abc", "", "3 1"):
            with self.subTest(value=value), self.assertRaisesMessage(CommandError, "Mã tỉnh không hợp lệ"):
                load("--province", value)
        self.assertEqual(Province.objects.count(), 0)


class NamingTests(SimpleTestCase):
    def test_short_commune_name_drops_the_unit(self) -> None:
        for name, short in [
            ("Xã Hùng Thắng", "Hùng Thắng"),
            ("Phường Lê Chân", "Lê Chân"),
            ("Đặc khu Cát Hải", "Cát Hải"),
            ("Phường Hà Giang 1", "Hà Giang 1"),
            ("Xã", "Xã"),
        ]:
            with self.subTest(name=name):
                self.assertEqual(naming.short_commune_name(name), short)

    def test_a_unit_named_by_a_number_keeps_its_full_name(self) -> None:
        self.assertEqual(naming.short_commune_name("Phường 1"), "Phường 1")
        self.assertEqual(naming.short_commune_name("Xã 12"), "Xã 12")

    def test_proper_name_drops_the_unit_even_before_a_number(self) -> None:
        self.assertEqual(naming.proper_name("Xã Hùng Thắng"), "Hùng Thắng")
        self.assertEqual(naming.proper_name("Phường 1"), "1")

    def test_a_lower_case_unit_is_dropped_too(self) -> None:
        self.assertEqual(naming.short_commune_name("xã Bắc Sơn"), "Bắc Sơn")

    def test_decomposed_input_gives_nfc_output(self) -> None:
        decomposed = unicodedata.normalize("NFD", "Xã Hùng Thắng")
        self.assertNotEqual(decomposed, "Xã Hùng Thắng")
        self.assertEqual(naming.short_commune_name(decomposed), "Hùng Thắng")
        self.assertEqual(naming.default_header_lines(decomposed), "ỦY BAN NHÂN DÂN\nXÃ HÙNG THẮNG")
        self.assertEqual(naming.nfc(decomposed), "Xã Hùng Thắng")
        self.assertEqual(naming.short_province_name(unicodedata.normalize("NFD", "Thành phố Hải Phòng")), "Hải Phòng")

    def test_header_lines(self) -> None:
        self.assertEqual(naming.default_header_lines("Xã Hùng Thắng"), "ỦY BAN NHÂN DÂN\nXÃ HÙNG THẮNG")
        self.assertEqual(naming.default_header_lines("Phường Đồ Sơn"), "ỦY BAN NHÂN DÂN\nPHƯỜNG ĐỒ SƠN")
        self.assertEqual(naming.default_header_lines("Đặc khu Bạch Long Vĩ"), "ỦY BAN NHÂN DÂN\nĐẶC KHU BẠCH LONG VĨ")

    def test_short_province_name(self) -> None:
        self.assertEqual(naming.short_province_name("Thành phố Hải Phòng"), "Hải Phòng")
        self.assertEqual(naming.short_province_name("Tỉnh Ninh Bình"), "Ninh Bình")
        self.assertEqual(naming.short_province_name("Hải Phòng"), "Hải Phòng")

    def test_official_name_capitalises_the_unit_and_tidies_spaces(self) -> None:
        for raw, clean in [
            ("xã Bắc Sơn", "Xã Bắc Sơn"),
            ("  Phường   Lê Chân ", "Phường Lê Chân"),
            ("đặc khu Cát Hải", "Đặc khu Cát Hải"),
            ("Xã Hùng Thắng", "Xã Hùng Thắng"),
            (unicodedata.normalize("NFD", "xã Hùng Thắng"), "Xã Hùng Thắng"),
        ]:
            with self.subTest(raw=raw):
                self.assertEqual(naming.official_name(raw), clean)
