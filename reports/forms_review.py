"""Forms of the review workflow: return with reasons and comments, answers, issuing, signed scans."""

from typing import Any

from django import forms

from reports import labels
from reports.text import clean_form_texts
from reports.workflow import MAX_COMMENT_LENGTH, CommentInput

COMMENT_ROWS = 5


class ReturnForm(forms.Form):
    """The reason is mandatory; up to five comments, each pinned to a section, a figure or the whole report."""

    reason = forms.CharField(
        label="Lý do trả lại",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_COMMENT_LENGTH,
        error_messages={"required": "Phải nêu lý do trả lại báo cáo."},
    )

    def __init__(self, *args: object, anchors: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", labels.WHOLE_REPORT), *anchors]
        for index in range(COMMENT_ROWS):
            self.fields[f"anchor_{index}"] = forms.ChoiceField(label="Vị trí", choices=choices, required=False)
            self.fields[f"body_{index}"] = forms.CharField(
                label="Ý kiến",
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comment_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"anchor_{i}"], self[f"body_{i}"]) for i in range(COMMENT_ROWS)]

    def clean(self) -> dict[str, Any]:
        cleaned = clean_form_texts(self, super().clean() or {})
        cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in cleaned.items()}
        if "reason" in cleaned and not cleaned["reason"]:
            self.add_error("reason", "Phải nêu lý do trả lại báo cáo.")
        return cleaned

    def comments(self) -> list[CommentInput]:
        return [
            CommentInput(anchor=self.cleaned_data.get(f"anchor_{i}", ""), body=self.cleaned_data.get(f"body_{i}", ""))
            for i in range(COMMENT_ROWS)
            if self.cleaned_data.get(f"body_{i}")
        ]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Trả lời",
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Nội dung trả lời không được để trống."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = clean_form_texts(self, super().clean() or {})
        if isinstance(cleaned.get("answer"), str):
            cleaned["answer"] = cleaned["answer"].strip()
        return cleaned


class IssueForm(forms.Form):
    number = forms.IntegerField(
        label="Số văn bản (theo sổ đăng ký văn bản đi)",
        min_value=1,
        max_value=99999,
        error_messages={
            "required": "Vui lòng nhập số văn bản theo sổ đăng ký văn bản đi.",
            "invalid": "Số văn bản phải là số nguyên.",
            "min_value": "Số văn bản phải từ 1 trở lên.",
            "max_value": "Số văn bản không được lớn hơn 99999.",
        },
    )
    issued_on = forms.DateField(
        label="Ngày ban hành",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Vui lòng nhập ngày ban hành.", "invalid": "Ngày ban hành không hợp lệ."},
    )


class ScanUploadForm(forms.Form):
    file = forms.FileField(
        label="Bản đã ký, đóng dấu (PDF, tối đa 20 MB)",
        error_messages={"required": "Vui lòng chọn tệp PDF.", "empty": "Tệp tải lên rỗng."},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ScanReplaceForm(ScanUploadForm):
    reason = forms.CharField(
        label="Lý do thay bản ký",
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Phải nêu lý do thay bản ký."},
    )

    def clean(self) -> dict[str, Any]:
        # The same character rules as every other text the review workflow takes.
        cleaned = clean_form_texts(self, super().clean() or {})
        if isinstance(cleaned.get("reason"), str):
            cleaned["reason"] = cleaned["reason"].strip()
        return cleaned


class AmendForm(forms.Form):
    reason = forms.CharField(
        label="Lý do đính chính", max_length=MAX_COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = clean_form_texts(self, super().clean() or {})
        if isinstance(cleaned.get("reason"), str):
            cleaned["reason"] = cleaned["reason"].strip()
        return cleaned
