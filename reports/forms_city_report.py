"""Forms of the Centre's own report: its text sections and the source of its figures; issuing."""

from typing import Any

from django import forms

from reports.city_report import MAX_SECTION_LENGTH, TEXT_SECTIONS, clean_section_text
from reports.models import CityReportBasis


class CityReportForm(forms.Form):
    basis = forms.ChoiceField(
        label="Số liệu tổng hợp từ",
        choices=CityReportBasis.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "Nguồn số liệu tổng hợp không hợp lệ.", "required": "Chọn nguồn số liệu."},
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in TEXT_SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.label,
                help_text=section.help_text,
                required=False,
                max_length=MAX_SECTION_LENGTH,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={"max_length": f"Mỗi mục dài tối đa {MAX_SECTION_LENGTH:,} ký tự.".replace(",", ".")},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for section in TEXT_SECTIONS:
            if section.key in cleaned:
                try:
                    cleaned[section.key] = clean_section_text(cleaned[section.key], label=section.label)
                except forms.ValidationError as error:
                    self.add_error(section.key, error)
        return cleaned

    def narrative(self) -> dict[str, str]:
        return {section.key: self.cleaned_data.get(section.key, "") for section in TEXT_SECTIONS}

    def text_fields(self) -> list[forms.BoundField]:
        return [self[section.key] for section in TEXT_SECTIONS]


class CityReportIssueForm(forms.Form):
    number = forms.IntegerField(
        label="Số văn bản",
        min_value=1,
        max_value=99_999,
        error_messages={
            "required": "Vui lòng nhập số văn bản.",
            "invalid": "Số văn bản phải là số nguyên.",
            "min_value": "Số văn bản phải từ 1 trở lên.",
            "max_value": "Số văn bản quá lớn.",
        },
    )
    issued_on = forms.DateField(
        label="Ngày ban hành",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Vui lòng nhập ngày ban hành.", "invalid": "Ngày ban hành không hợp lệ."},
    )
