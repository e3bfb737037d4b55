"""The report entry form: figures tables, values, narrative per outline section, explanations, signer.

Form field names map one-to-one onto the content paths of reports/services.py
("results-0-online" <-> "figures.results.0.online"), so findings, pre-fill marks and conflicts
can point at the input they concern. No queries and no side effects here.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from reports import figures, labels
from reports.content import ROW_LIMITS, TEXT_LIMITS, normalise_text, parse_count, parse_rate
from reports.models import Report, ReportingRegime, SectionKind
from reports.outline import OutlineNode, iter_nodes
from reports.periods import MAX_YEAR, MIN_YEAR, Frequency, PeriodKey
from reports.rendering.formatting import format_date, format_decimal

MAX_RESULT_ROWS = ROW_LIMITS["results"]
MAX_AGENCY_ROWS = ROW_LIMITS["sector_agencies"]
MAX_DIRECTIVE_ROWS = ROW_LIMITS["directives"]
EXPLANATION_PREFIX = "explanation."
DIRECTIVE_TYPES = ("Kế hoạch", "Quyết định", "Chỉ thị", "Công văn", "Thông báo", "Báo cáo")


class CountInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "form-control form-control-sm text-end",
            "data-count": "",
        }
        super().__init__({**base, **(attrs or {})})


class CountField(forms.Field):
    """A non-negative whole number typed the Vietnamese way; blank means not given."""

    widget = CountInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        return parse_count(value)

    def prepare_value(self, value: Any) -> Any:
        return value


class RateField(forms.Field):
    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "class": "form-control form-control-sm text-end",
                    "data-rate": "",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        return parse_rate(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return format_decimal(Decimal(str(value)))
        return value


class NFCCharField(forms.CharField):
    """Free text in Unicode NFC with LF line breaks (Vietnamese IMEs may send decomposed letters).

    Length and characters are checked by reports.content.clean_content, the one door into stored
    content, so the form, the autosave and the import refuse with the same message; `max_length`
    here only sets the input's maxlength attribute.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = []

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text is None:  # only with empty_value=None, which no field here uses
            return None
        return normalise_text(text)


def _text_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control form-control-sm", "autocomplete": "off", **attrs})


# --- Rows ------------------------------------------------------------------------------------


class ResultRowForm(forms.Form):
    source = NFCCharField(label="Hệ thống", max_length=TEXT_LIMITS["source"], required=False, widget=_text_input())
    kind = forms.ChoiceField(
        label="Loại hệ thống",
        choices=[(str(kind), label) for kind, label in figures.SOURCE_KIND_LABELS.items()],
        initial=str(figures.SourceKind.CITY),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"invalid_choice": "Loại hệ thống không hợp lệ."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in figures.RESULT_COLUMNS:
            self.fields[name] = CountField(label=label[:1].upper() + label[1:])


class AgencyRowForm(forms.Form):
    name = NFCCharField(label="Cơ quan ngành dọc", max_length=TEXT_LIMITS["name"], required=False, widget=_text_input())
    received = CountField(label="Tiếp nhận")
    resolved = CountField(label="Đã giải quyết")


class DirectiveRowForm(forms.Form):
    doc_type = NFCCharField(
        label="Loại văn bản",
        max_length=TEXT_LIMITS["doc_type"],
        required=False,
        widget=_text_input(list="directive-types"),
    )
    number = NFCCharField(label="Số, ký hiệu", max_length=TEXT_LIMITS["number"], required=False, widget=_text_input())
    issued_on = forms.DateField(
        label="Ngày ban hành",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control form-control-sm"}),
        error_messages={"invalid": "Ngày ban hành không hợp lệ (ví dụ 23/01/2026)."},
    )
    subject = NFCCharField(label="Trích yếu", max_length=TEXT_LIMITS["subject"], required=False, widget=_text_input())

    def clean_issued_on(self) -> date | None:
        issued_on = self.cleaned_data.get("issued_on")
        if issued_on is not None and not MIN_YEAR <= issued_on.year <= MAX_YEAR:
            raise ValidationError(
                "Ngày ban hành phải trong khoảng năm %(min)s–%(max)s.", params={"min": MIN_YEAR, "max": MAX_YEAR}
            )
        return issued_on


class RowFormSet(forms.BaseFormSet[forms.Form]):
    # Django's own messages for these are not translated into Vietnamese.
    default_error_messages = {
        "missing_management_form": "Thiếu dữ liệu của bảng (%(field_names)s); vui lòng tải lại trang.",
        "too_many_forms": "Bảng chỉ được có tối đa %(num)d dòng.",
        "too_few_forms": "Bảng phải có ít nhất %(num)d dòng.",
    }


def _row_formset(form: type[forms.Form], max_num: int) -> type[forms.BaseFormSet[forms.Form]]:
    return forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=0,
        can_delete=True,
        max_num=max_num,
        validate_max=True,
        absolute_max=max_num * 2,
    )


ResultRowFormSet = _row_formset(ResultRowForm, MAX_RESULT_ROWS)
AgencyRowFormSet = _row_formset(AgencyRowForm, MAX_AGENCY_ROWS)
DirectiveRowFormSet = _row_formset(DirectiveRowForm, MAX_DIRECTIVE_ROWS)

# Formset prefix -> key in the figures document.
ROW_SETS = (("results", "results"), ("agencies", "sector_agencies"), ("directives", "directives"))
FIGURES_KEY_TO_PREFIX = {key: prefix for prefix, key in ROW_SETS}


# --- Values, narrative, signer ---------------------------------------------------------------


class ValuesForm(forms.Form):
    """One field per figures.VALUE_SPECS entry: counts and typed rates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in figures.VALUE_SPECS:
            field: forms.Field = (
                RateField(label=spec.label) if spec.unit == figures.Unit.PERCENT else CountField(label=spec.label)
            )
            self.fields[spec.key] = field


class NarrativeForm(forms.Form):
    """A text box per outline section, and one after the generated part of non-narrative sections."""

    def __init__(self, *args: Any, outline: Iterable[OutlineNode], stored: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for node in iter_nodes(outline):
            self.fields[f"{node.key}.text"] = self._box(node.title or node.key)
            stored_after = (stored.get(node.key) or {}).get("after") if isinstance(stored.get(node.key), dict) else ""
            if node.kind != SectionKind.NARRATIVE or stored_after:
                self.fields[f"{node.key}.after"] = self._box(f"{node.title or node.key} (sau phần số liệu)")

    @staticmethod
    def _box(label: str) -> NFCCharField:
        return NFCCharField(
            label=label,
            required=False,
            strip=False,
            max_length=TEXT_LIMITS["narrative"],
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        )


class SignerForm(forms.Form):
    signer_authority = NFCCharField(
        label=labels.SIGNER_LABELS["signer_authority"],
        required=False,
        max_length=TEXT_LIMITS["signer_authority"],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Mỗi dòng một dòng chữ, ví dụ: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH.",
    )
    signer_position = NFCCharField(
        label=labels.SIGNER_LABELS["signer_position"],
        required=False,
        max_length=TEXT_LIMITS["signer_position"],
    )
    signer_name = NFCCharField(
        label=labels.SIGNER_LABELS["signer_name"], required=False, max_length=TEXT_LIMITS["signer_name"]
    )
    recipients = NFCCharField(
        label=labels.SIGNER_LABELS["recipients"],
        required=False,
        max_length=TEXT_LIMITS["recipients"],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một nơi nhận; dòng cuối là “Lưu: VT, …”.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("signer_authority"), Field("signer_position"), Field("signer_name"), Field("recipients")
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(
        min_value=1,
        max_value=2_000_000_000,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Thiếu số phiên bản của báo cáo; vui lòng tải lại trang.",
            "invalid": "Số phiên bản không hợp lệ; vui lòng tải lại trang.",
            "min_value": "Số phiên bản không hợp lệ; vui lòng tải lại trang.",
            "max_value": "Số phiên bản không hợp lệ; vui lòng tải lại trang.",
        },
    )


# --- The whole report ------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldError:
    field: str  # input name
    label: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "message": self.message}


@dataclass(frozen=True)
class ValueCell:
    """One value input with what the template needs to show it."""

    field: forms.BoundField
    spec: figures.ValueSpec
    computed: str | None  # the computed rate, formatted, when the rate is not typed


def _display(value: Any) -> Any:
    return "" if value is None else value


class ReportForm:
    """Every part of the report page, bound to POST data or showing the stored report."""

    def __init__(self, report: Report, outline: list[OutlineNode], data: Mapping[str, Any] | None = None) -> None:
        self.report = report
        self.outline = outline
        self.data = data
        self.is_bound = data is not None
        stored = report.figures if isinstance(report.figures, dict) else {}
        self.results = ResultRowFormSet(
            data,
            prefix="results",
            initial=[
                {**row, **{name: _display(row.get(name)) for name in figures.RESULT_FIELDS}}
                for row in stored.get("results", [])
            ],
        )
        self.agencies = AgencyRowFormSet(data, prefix="agencies", initial=list(stored.get("sector_agencies", [])))
        self.directives = DirectiveRowFormSet(
            data, prefix="directives", initial=[_directive_initial(row) for row in stored.get("directives", [])]
        )
        self.values = ValuesForm(data, prefix="values", initial=dict(stored.get("values", {})))
        narrative = report.narrative if isinstance(report.narrative, dict) else {}
        self.narrative = NarrativeForm(
            data,
            prefix="narrative",
            outline=outline,
            stored=narrative,
            initial={
                f"{key}.{part}": parts.get(part, "")
                for key, parts in narrative.items()
                if isinstance(parts, dict)
                for part in ("text", "after")
            },
        )
        self.signer = SignerForm(data, initial={name: getattr(report, name) for name in labels.SIGNER_LABELS})
        self.version = VersionForm(data, initial={"version": report.version})
        self.explanations = self._bound_explanations() if data is not None else dict(report.explanations or {})
        self._kept: dict[str, list[int]] = {}

    # Validation -----------------------------------------------------------------------------

    def _bound_explanations(self) -> dict[str, str]:
        data = self.data or {}
        explanations = {}
        for name in data:
            if not str(name).startswith(EXPLANATION_PREFIX):
                continue
            # Checked (length, characters) with the rest of the content by reports.content.
            explanations[str(name)[len(EXPLANATION_PREFIX) :]] = str(data.get(name) or "")
        return explanations

    def _parts(self) -> list[Any]:
        return [self.results, self.agencies, self.directives, self.values, self.narrative, self.signer, self.version]

    def is_valid(self) -> bool:
        # Validate every part (not all() short-circuiting) so each shows its errors.
        valid = [part.is_valid() for part in self._parts()]
        return self.is_bound and all(valid)

    def errors(self) -> list[FieldError]:
        """Every error with the input it belongs to and a human label, in page order."""
        errors: list[FieldError] = []
        for prefix, key in ROW_SETS:
            formset = getattr(self, prefix)
            errors += [
                FieldError(f"{prefix}-TOTAL_FORMS", labels.TABLE_TITLES[key], m) for m in formset.non_form_errors()
            ]
            for index, form in enumerate(formset.forms):
                for name, messages in form.errors.items():
                    label = labels.path_label(f"figures.{key}.{index}.{name}", {})
                    errors += [FieldError(form.add_prefix(name), label, m) for m in messages]
        for form in (self.values, self.narrative, self.signer, self.version):
            for name, messages in form.errors.items():
                field = form.fields.get(name)
                label = str(field.label) if field is not None and field.label else "Báo cáo"
                # ErrorList yields message strings; its stubs type the items as ValidationError | str.
                errors += [FieldError(form.add_prefix(name), label, str(m)) for m in messages]
        return errors

    # Content --------------------------------------------------------------------------------

    def _rows(self, prefix: str) -> list[dict[str, Any]]:
        formset = getattr(self, prefix)
        rows, kept = [], []
        for index, form in enumerate(formset.forms):
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            # A blank row added on the page and left untouched is not content.
            if index >= formset.initial_form_count() and not form.has_changed():
                continue
            row = {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            rows.append(row)
            kept.append(index)
        self._kept[prefix] = kept
        return rows

    def figures_data(self) -> dict[str, Any]:
        """The figures document as typed (valid form only); computed rates are not stored."""
        results = [
            {**row, **{name: row.get(name) or 0 for name in figures.RESULT_FIELDS}} for row in self._rows("results")
        ]
        agencies = [
            {"name": row["name"], "received": row.get("received") or 0, "resolved": row.get("resolved") or 0}
            for row in self._rows("agencies")
        ]
        directives = [
            {**row, "issued_on": row["issued_on"].isoformat() if row.get("issued_on") else ""}
            for row in self._rows("directives")
        ]
        values = {key: value for key, value in self.values.cleaned_data.items() if value is not None}
        data = {"results": results, "sector_agencies": agencies, "directives": directives, "values": values}
        for key, rate in figures.compute_rates(figures.parse_figures(data)).items():
            if rate.source == figures.RateSource.COMPUTED:
                values.pop(key, None)
        return figures.normalise_figures(data)

    def narrative_data(self) -> dict[str, dict[str, str]]:
        """Posted texts per section; texts of sections no longer in the outline are kept as stored."""
        outline_keys = {node.key for node in iter_nodes(self.outline)}
        stored = self.report.narrative if isinstance(self.report.narrative, dict) else {}
        narrative: dict[str, dict[str, str]] = {
            key: dict(parts) for key, parts in stored.items() if key not in outline_keys and isinstance(parts, dict)
        }
        for key in outline_keys:
            narrative[key] = {
                "text": self.narrative.cleaned_data.get(f"{key}.text", ""),
                "after": self.narrative.cleaned_data.get(f"{key}.after", ""),
            }
        return narrative

    def _unknown_posted(self, prefix: str, fields: Mapping[str, Any]) -> dict[str, str]:
        """Posted inputs `prefix-name` the form has no field for, by name: the page never sends them."""
        data = self.data or {}
        return {
            str(name)[len(prefix) :]: str(data.get(name) or "")
            for name in data
            if str(name).startswith(prefix) and str(name)[len(prefix) :] not in fields
        }

    def content(self) -> dict[str, Any]:
        """Keyword arguments for services.save_draft (valid form only).

        Inputs for figures or sections the form does not know are passed on, not dropped, so that
        reports.content refuses them with the message the autosave and the import give.
        """
        figures_data = self.figures_data()
        figures_data["values"].update(self._unknown_posted("values-", self.values.fields))
        narrative = self.narrative_data()
        for name, text in self._unknown_posted("narrative-", self.narrative.fields).items():
            key, _, part = name.rpartition(".")
            if key not in narrative:
                narrative.setdefault(key or name, {})[part if key else "text"] = text
        return {
            "figures": figures_data,
            "narrative": narrative,
            "explanations": self.explanations,
            **{name: self.signer.cleaned_data[name] for name in labels.SIGNER_LABELS},
        }

    @property
    def expected_version(self) -> int:
        return int(self.version.cleaned_data["version"])

    # Paths <-> inputs -----------------------------------------------------------------------

    def field_names_for_path(self, path: str) -> list[str]:
        """Input names for a content path ("figures.results.0.online") or a figures path ("results.0.online")."""
        parts = path.split(".")
        if parts[0] == "figures":
            parts = parts[1:]
        if len(parts) >= 2 and parts[0] in FIGURES_KEY_TO_PREFIX and parts[1].isdigit():
            prefix = FIGURES_KEY_TO_PREFIX[parts[0]]
            index = int(parts[1])
            kept = self._kept.get(prefix)
            if kept is not None:
                if index >= len(kept):
                    return []
                index = kept[index]
            form_class = {"results": ResultRowForm, "agencies": AgencyRowForm, "directives": DirectiveRowForm}[prefix]
            columns = parts[2:3] or list(form_class().fields)
            return [f"{prefix}-{index}-{column}" for column in columns]
        if len(parts) == 2 and parts[0] == "values":
            return [f"values-{parts[1]}"]
        if parts[0] == "narrative" and len(parts) >= 2:
            key = parts[1]
            names = [f"narrative-{key}.{part}" for part in (parts[2:3] or ["text", "after"])]
            return [name for name in names if name.removeprefix("narrative-") in self.narrative.fields]
        if parts[0] == "explanations" and len(parts) >= 2:
            return [EXPLANATION_PREFIX + ".".join(parts[1:])]
        if parts[0] in labels.SIGNER_LABELS:
            return [parts[0]]
        return []

    def prefilled_names(self) -> set[str]:
        names: set[str] = set()
        for path in self.report.prefilled or []:
            names.update(self.field_names_for_path(str(path)))
        return names

    def _bound_fields(self) -> Iterable[forms.BoundField]:
        for prefix, _ in ROW_SETS:
            for form in getattr(self, prefix).forms:
                yield from form
        for form in (self.values, self.narrative, self.signer):
            yield from form

    def commented_names(self, anchors: Iterable[str]) -> set[str]:
        """Input names under review comments' anchors ("figure:results.0.online", "section:cong-khai")."""
        names: set[str] = set()
        for anchor in anchors:
            kind, _, target = anchor.partition(":")
            if kind == "figure" and target:
                names.update(self.field_names_for_path(f"figures.{target}"))
            elif kind == "section" and target:
                names.update(self.field_names_for_path(f"narrative.{target}"))
        return names

    def mark_widgets(self, commented_anchors: Iterable[str] = ()) -> None:
        """Classes the page needs on inputs: pre-filled values, commented places and inputs with errors."""
        prefilled = self.prefilled_names()
        commented = self.commented_names(commented_anchors)
        for bound in self._bound_fields():
            classes = bound.field.widget.attrs.get("class", "")
            if bound.html_name in prefilled:
                classes += " prefilled"
            if bound.html_name in commented:
                classes += " commented"
                bound.field.widget.attrs["title"] = "Có ý kiến thẩm định của thành phố ở ô này"
            if self.is_bound and bound.errors:
                classes += " is-invalid"
            bound.field.widget.attrs["class"] = classes.strip()

    # Display --------------------------------------------------------------------------------

    def value_groups(self, rates: Mapping[str, figures.Rate]) -> list[tuple[str, list[ValueCell]]]:
        """Value inputs grouped as figures.VALUE_SPECS; computed rates shown read-only."""
        groups: dict[str, list[ValueCell]] = {}
        for spec in figures.VALUE_SPECS:
            rate = rates.get(spec.key)
            computed = None
            if rate is not None and rate.source == figures.RateSource.COMPUTED:
                computed = format_decimal(rate.value)
            groups.setdefault(spec.group, []).append(ValueCell(self.values[spec.key], spec, computed))
        return list(groups.items())

    def current_figures(self) -> dict[str, Any]:
        """The figures the page shows: the posted ones when valid, else the stored ones."""
        if self.is_bound and self.is_valid():
            return self.figures_data()
        return self.report.figures if isinstance(self.report.figures, dict) else {}


def _directive_initial(row: Mapping[str, Any]) -> dict[str, Any]:
    initial = dict(row)
    try:
        initial["issued_on"] = date.fromisoformat(str(row.get("issued_on") or ""))
    except ValueError:
        initial["issued_on"] = None
    return initial


# --- Opening a period ------------------------------------------------------------------------


class OpenReportForm(forms.Form):
    """Which regime and period to open a report for; the period is given by its slug ("2026-05")."""

    regime = forms.ModelChoiceField(
        label="Chế độ báo cáo",
        queryset=ReportingRegime.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Vui lòng chọn chế độ báo cáo.",
            "invalid_choice": "Chế độ báo cáo không hợp lệ.",
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period = forms.ChoiceField(
        label="Kỳ báo cáo",
        error_messages={
            "required": "Vui lòng chọn kỳ báo cáo.",
            "invalid_choice": "Kỳ báo cáo “%(value)s” không có trong danh sách: chỉ lập báo cáo cho kỳ đã bắt đầu.",
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(
        self,
        *args: Any,
        regimes: QuerySet[ReportingRegime],
        today: date,
        period_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regime"].queryset = regimes  # type: ignore[attr-defined]
        # A list to pick from (months, quarters, years of the commune's regimes) instead of typing "2026-05".
        self.fields["period"].choices = period_choices  # type: ignore[attr-defined]
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        regime, slug = cleaned.get("regime"), cleaned.get("period")
        if regime is None or not slug:
            return cleaned
        try:
            key = PeriodKey.parse(slug, Frequency(regime.frequency))
        except ValueError:
            self.add_error("period", f"Kỳ báo cáo “{slug}” không hợp lệ với chế độ báo cáo này.")
            return cleaned
        start, _ = regime.window(key)
        if start > self.today:
            self.add_error(
                "period", f"Kỳ báo cáo {key.label()} bắt đầu từ ngày {format_date(start)}, chưa thể lập báo cáo."
            )
            return cleaned
        cleaned["key"] = key
        return cleaned
