"""The upload form of a dossier list (layout only; the import itself is dossiers/services.py)."""

import unicodedata

from django import forms

from dossiers.models import SourceKind
from dossiers.services import CITY_SOURCE, MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp danh sách hồ sơ (CSV hoặc Excel .xlsx)")
    source_system = forms.CharField(label="Hệ thống nguồn", max_length=200, initial=CITY_SOURCE)
    source_kind = forms.ChoiceField(label="Loại hệ thống", choices=SourceKind.choices, initial=SourceKind.CITY)

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 20 MB; vui lòng chia nhỏ tệp.")
        return upload

    def clean_source_system(self) -> str:
        return " ".join(unicodedata.normalize("NFC", self.cleaned_data["source_system"]).split())
