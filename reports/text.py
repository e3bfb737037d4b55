"""The character rules of every stored text, and the one NFC helper.

Dependency-free (communes.models imports it), re-exported by reports.content.
"""

import dataclasses
import unicodedata
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from reports.rendering.formatting import format_int

# --- Characters --------------------------------------------------------------------------------


def nfc[T](value: T) -> T:
    """Every string inside a JSON value in Unicode NFC: Vietnamese keyboards may send decomposed text."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [nfc(item) for item in value]  # type: ignore[return-value]
    return value


def normalise_text(text: str) -> str:
    """NFC with LF line breaks (browsers send textarea breaks as CRLF)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def forbidden_char(char: str) -> bool:
    """Characters no stored text may hold: C0/C1 controls except tab and newline, lone surrogates, U+FFFE/F.

    PostgreSQL stores no U+0000, lxml (DOCX) refuses the other controls, UTF-8 cannot encode surrogates.
    """
    code = ord(char)
    if code < 0x20:
        return char not in "\t\n"
    return 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


def char_problem(text: str) -> str | None:
    """The Vietnamese refusal for the first forbidden character in `text` (after newline normalisation)."""
    for char in text:
        if forbidden_char(char):
            code = ord(char)
            if code == 0:
                return "có ký tự NUL (mã 0), không lưu được; vui lòng xóa ký tự này."
            if 0xD800 <= code <= 0xDFFF:
                return f"có ký tự không hợp lệ (U+{code:04X}, nửa cặp UTF-16), không lưu được; vui lòng xóa ký tự này."
            return f"có ký tự điều khiển không in được (U+{code:04X}), không lưu được; vui lòng xóa ký tự này."
    return None


def length_problem(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return f"dài quá {format_int(limit)} ký tự (hiện có {format_int(len(text))} ký tự)."
    return None


def strip_forbidden(text: str) -> str:
    """`text` without forbidden characters: for renderers reading data stored before these rules."""
    if not any(forbidden_char(char) for char in text):
        return text
    return "".join(char for char in text.replace("\r\n", "\n").replace("\r", "\n") if not forbidden_char(char))


def validate_text(value: str) -> None:
    """A Django field validator: the character rules of stored texts, with the shared message."""
    problem = char_problem(normalise_text(value))
    if problem is not None:
        raise ValidationError(problem[:1].upper() + problem[1:], code="forbidden_char")


def clean_text(value: str) -> str:
    """A stored text that reaches a document (admin and review forms): NFC, LF, checked characters."""
    text = normalise_text(value)
    validate_text(text)
    return text


def clean_form_texts(form: forms.BaseForm, cleaned: dict[str, Any]) -> dict[str, Any]:
    """A form's cleaned data with every text in NFC and LF; a forbidden character is a field error.

    For the admin and review forms whose texts reach a document (header lines, templates, comments).
    """
    result = dict(cleaned)
    # A copy: add_error() removes the field from the form's cleaned_data, often `cleaned` itself.
    for name, value in list(cleaned.items()):
        if not isinstance(value, str):
            continue
        result[name] = text = normalise_text(value)
        try:
            validate_text(text)
        except ValidationError as error:
            form.add_error(name, error)
            result.pop(name, None)
    return result


def map_text[T](value: T, change: Callable[[str], str]) -> T:
    """`value` with `change` applied to every string inside it (str, tuple, dataclass)."""
    if isinstance(value, str):
        return change(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(map_text(item, change) for item in value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: map_text(getattr(value, f.name), change) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def scrub[T](value: T) -> T:
    """`value` with forbidden characters stripped from every string inside it (str, tuple, dataclass).

    For renderers: a document built from data stored before these rules may still hold them, and
    lxml refuses to write them into a DOCX.
    """
    return map_text(value, strip_forbidden)
