"""Tests for the review forms' texts (reports/forms_review.py): NFC, line breaks, no control characters."""

import unicodedata

from django.test import SimpleTestCase

from reports.forms_review import AmendForm, AnswerForm, ReturnForm

MESSAGE = "Có ký tự điều khiển không in được (U+0001), không lưu được; vui lòng xóa ký tự này."


class ReviewFormTextTests(SimpleTestCase):
    def test_control_characters_are_refused_with_the_shared_message(self) -> None:
        forms = [
            (ReturnForm({"reason": "Sai\x01 số"}, anchors=[]), "reason"),
            (ReturnForm({"reason": "Sai số", "body_0": "Xem\x01 lại"}, anchors=[]), "body_0"),
            (AnswerForm({"answer": "Đã\x01 sửa"}), "answer"),
            (AmendForm({"reason": "Sửa\x01 số"}), "reason"),
        ]
        for form, name in forms:
            with self.subTest(form=type(form).__name__, name=name):
                self.assertFalse(form.is_valid())
                self.assertEqual(form.errors[name], [MESSAGE])

    def test_texts_are_stored_in_nfc_with_plain_line_breaks(self) -> None:
        form = AnswerForm({"answer": unicodedata.normalize("NFD", " Đã sửa\r\nxong ")})
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["answer"], "Đã sửa\nxong")
