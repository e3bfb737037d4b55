"""Import: checks the schema, then the content door (reports.content), the business and hard rules,
and writes nothing unless the whole file passes."""

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communes.models import Commune, Province
from reports import figures as fig
from reports.content import SIGNER_FIELDS, TOO_DEEP, ContentError, ContentProblem, clean_content, too_deep
from reports.diff import diff_content
from reports.exchange.export import DOCUMENT_TEXT_FIELDS, OPTIONAL_REGIME_FIELDS, REGIME_FIELDS, SECTION_FIELDS
from reports.exchange.schema import ImportProblems, PathParts, Problem, json_path, schema_problems
from reports.models import (
    EDITABLE_STATUSES,
    EventKind,
    OutlineSection,
    Report,
    ReportingRegime,
    ReportStatus,
    Target,
)
from reports.outline import OutlineNode, build_outline
from reports.periods import MAX_YEAR, MIN_YEAR, Frequency, PeriodKey
from reports.rendering.formatting import round_percent
from reports.services import get_or_create_period, record_event, report_content
from reports.text import nfc

CHANGED_MEANWHILE = "Dữ liệu vừa được người khác thay đổi trong lúc nhập, chưa nhập gì; hãy chạy lại lệnh."
# Accepted and issued reports are the record the city relies on; they change only by amendment.
# Only content the commune may still change is imported or replaced; sending, acceptance and issuing
# happen in the app, where the snapshots, the number register and the history are kept.
IMMUTABLE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ISSUED)

FREQUENCY_WORDS = {
    Frequency.MONTHLY: ("hằng tháng", "2026-05"),
    Frequency.QUARTERLY: ("hằng quý", "2026-Q1"),
    Frequency.HALF_YEAR: ("6 tháng", "2026-H1"),
    Frequency.NINE_MONTHS: ("9 tháng", "2026-9M"),
    Frequency.YEARLY: ("hằng năm", "2026"),
}
# Deeper than any real file (an outline of five levels is about 12 deep); refused before NFC and the schema.
MAX_FILE_DEPTH = 32
SECTION_DEFAULTS: dict[str, Any] = {"run_in": False, "template": "", "default_text": ""}


# --- Import: checks ---------------------------------------------------------------------------


def _same_name(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def _walk_outline(
    nodes: Sequence[Mapping[str, Any]], parts: PathParts = ("regime", "outline")
) -> Iterator[tuple[PathParts, Mapping[str, Any]]]:
    for index, node in enumerate(nodes):
        here = (*parts, index)
        yield here, node
        yield from _walk_outline(node.get("children", ()), (*here, "children"))


def _is_real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _finding_path(finding: fig.Finding) -> str:
    """The JSON path of the figure a finding is about, as precise as the finding allows."""
    if finding.code.startswith("unknown:values."):
        return json_path("figures", "values", finding.code.removeprefix("unknown:values."))
    if not finding.paths:
        return json_path("figures")
    split = [[int(part) if part.isdigit() else part for part in path.split(".")] for path in finding.paths]
    common: list[str | int] = []
    for segments in zip(*split, strict=False):
        if any(segment != segments[0] for segment in segments):
            break
        common.append(segments[0])
    # All the columns of one results row point at the row; a rule across values names its first figure.
    chosen = common if len(common) >= 2 else split[0]
    return json_path("figures", *chosen)


def _finding_problem(finding: fig.Finding) -> Problem:
    message = finding.message
    if finding.explainable:
        message += f" Nếu giữ nguyên số liệu này, ghi giải trình tại {json_path('explanations', finding.code)}."
    return Problem(_finding_path(finding), message)


@dataclass
class _Checked:
    """What the checks found in the database, for the writes that follow."""

    commune: Commune | None = None
    regime: ReportingRegime | None = None
    key: PeriodKey | None = None
    existing: Report | None = None


def _check_places(data: Mapping[str, Any], checked: _Checked, problems: list[Problem]) -> None:
    code, name = data["commune"]["code"], data["commune"]["name"]
    province_code = data["regime"]["province"]
    commune = Commune.objects.select_related("province").filter(pk=code).first()
    if commune is None:
        problems.append(
            Problem(
                json_path("commune", "code"),
                f"Không có xã, phường mã {code} ({name}) trong cơ sở dữ liệu. Hãy nạp danh mục bằng lệnh: "
                f"python manage.py load_communes --province {province_code}.",
            )
        )
    elif not _same_name(commune.name, name):
        problems.append(
            Problem(
                json_path("commune", "name"),
                f"Mã {code} là “{commune.name}” trong cơ sở dữ liệu, không phải “{name}”. Kiểm tra lại mã xã.",
            )
        )
    checked.commune = commune
    if not Province.objects.filter(pk=province_code).exists():
        problems.append(
            Problem(
                json_path("regime", "province"),
                f"Không có tỉnh, thành phố mã {province_code} trong cơ sở dữ liệu. Hãy nạp danh mục bằng lệnh: "
                f"python manage.py load_communes --province {province_code}.",
            )
        )
    elif commune is not None and commune.province_id != province_code:
        problems.append(
            Problem(
                json_path("regime", "province"),
                f"{commune.name} thuộc {commune.province.name} (mã {commune.province_id}), không thuộc tỉnh, "
                f"thành phố mã {province_code} của chế độ báo cáo “{data['regime']['name']}”.",
            )
        )


def _check_regime(data: Mapping[str, Any], checked: _Checked, problems: list[Problem]) -> set[str]:
    """The section keys narrative may use; refuses a file whose outline differs from the stored regime's."""
    regime_data = data["regime"]
    if regime_data["cutoff_day"] in (29, 30):
        problems.append(
            Problem(
                json_path("regime", "cutoff_day"),
                "Ngày chốt số liệu phải từ 0 đến 28, hoặc 31 (ngày cuối tháng); ngày 29, 30 không có ở mọi tháng.",
            )
        )
    file_keys: dict[str, PathParts] = {}
    for parts, node in _walk_outline(regime_data["outline"]):
        key = node["key"]
        if key in file_keys:
            problems.append(
                Problem(
                    json_path(*parts, "key"),
                    f"Mã mục “{key}” bị trùng (đã dùng ở {json_path(*file_keys[key], 'key')}).",
                )
            )
        else:
            file_keys[key] = parts
    regime = (
        ReportingRegime.objects.filter(province_id=regime_data["province"], name=regime_data["name"])
        .prefetch_related("sections")
        .first()
    )
    checked.regime = regime
    if regime is None:
        problems.extend(
            Problem(
                json_path("regime", "targets", indicator),
                f"Chỉ tiêu “{indicator}” không phải là tỷ lệ trong danh mục ({', '.join(fig.RATE_KEYS)}).",
            )
            for indicator in regime_data["targets"]
            if indicator not in fig.RATE_KEYS
        )
        return set(file_keys)
    commune = checked.commune
    if commune is not None and not regime.applies_to_all and not regime.communes.filter(pk=commune.pk).exists():
        problems.append(
            Problem(
                json_path("regime", "name"),
                f"Chế độ báo cáo “{regime.name}” không áp dụng cho {commune.name}.",
            )
        )
    stored_keys = {section.key for section in regime.sections.all()}
    missing = sorted(stored_keys - set(file_keys))
    extra = sorted(set(file_keys) - stored_keys)
    if missing or extra:
        details = []
        if extra:
            details.append(f"tệp có các mục không có trong chế độ báo cáo: {', '.join(extra)}")
        if missing:
            details.append(f"tệp thiếu các mục: {', '.join(missing)}")
        problems.append(
            Problem(
                json_path("regime", "outline"),
                f"Chế độ báo cáo “{regime.name}” đã có trong cơ sở dữ liệu với đề cương khác ({'; '.join(details)}). "
                "Chế độ báo cáo đang dùng không được tự động sửa: hãy đổi tên chế độ báo cáo trong tệp để tạo "
                "chế độ mới, hoặc sửa đề cương trong trang quản trị.",
            )
        )
    return stored_keys


def _check_period(data: Mapping[str, Any], checked: _Checked, problems: list[Problem]) -> None:
    frequency = Frequency(checked.regime.frequency if checked.regime else data["regime"]["frequency"])
    try:
        checked.key = PeriodKey.parse(data["period"], frequency)
    except ValueError:
        words, example = FREQUENCY_WORDS[frequency]
        problems.append(
            Problem(
                json_path("period"),
                f"Kỳ báo cáo “{data['period']}” không hợp lệ với chế độ báo cáo {words}: viết theo dạng {example}, "
                f"năm từ {MIN_YEAR} đến {MAX_YEAR}.",
            )
        )


def _check_content(data: Mapping[str, Any], problems: list[Problem]) -> None:
    # Narrative keys were checked against the outline by the content door (content_problems).
    for index, directive in enumerate(data["figures"]["directives"]):
        if directive["issued_on"] and not _is_real_date(directive["issued_on"]):
            problems.append(
                Problem(
                    json_path("figures", "directives", index, "issued_on"),
                    f"Ngày “{directive['issued_on']}” không có thật.",
                )
            )
    document, status = data["document"], data["status"]
    if status not in EDITABLE_STATUSES:
        problems.append(
            Problem(
                json_path("status"),
                f"Chỉ nhập được báo cáo ở trạng thái “{ReportStatus.DRAFT.label}” hoặc “{ReportStatus.RETURNED.label}”; "
                "việc gửi, tiếp nhận và ban hành báo cáo được thực hiện trên hệ thống.",
            )
        )
    if document["issued_on"] is not None and not _is_real_date(document["issued_on"]):
        problems.append(Problem(json_path("document", "issued_on"), f"Ngày “{document['issued_on']}” không có thật."))
    # Nghị định 30/2020 Điều 15: the văn thư gives the number and date when the report is issued.
    if status == ReportStatus.ISSUED:
        if document["number"] is None:
            problems.append(Problem(json_path("document", "number"), "Báo cáo đã ban hành phải có số văn bản."))
        if document["issued_on"] is None:
            problems.append(Problem(json_path("document", "issued_on"), "Báo cáo đã ban hành phải có ngày ban hành."))
    else:
        label = ReportStatus(status).label
        if document["number"] is not None:
            problems.append(
                Problem(
                    json_path("document", "number"),
                    f"Chỉ báo cáo đã ban hành mới có số văn bản; báo cáo ở trạng thái “{label}” phải để null.",
                )
            )
        if document["issued_on"] is not None:
            problems.append(
                Problem(
                    json_path("document", "issued_on"),
                    f"Chỉ báo cáo đã ban hành mới có ngày ban hành; báo cáo ở trạng thái “{label}” phải để null.",
                )
            )


def _target_minimum(number: float) -> Decimal:
    # Target.minimum has two decimal places, like every rate.
    return round_percent(Decimal(str(number)))


def _check_figures(data: Mapping[str, Any], checked: _Checked, problems: list[Problem]) -> None:
    if checked.regime is None:
        targets = {
            key: _target_minimum(minimum) for key, minimum in data["regime"]["targets"].items() if key in fig.RATE_KEYS
        }
    else:
        targets = {target.indicator: target.minimum for target in checked.regime.targets.all()}
    findings = fig.check_figures(data["figures"], targets=targets)
    # Imported reports are drafts: soft rules ask for explanations only when the report is submitted.
    blocking = [
        finding
        for finding in fig.unresolved_findings(findings, data["explanations"])
        if finding.severity == fig.Severity.ERROR
    ]
    problems.extend(_finding_problem(finding) for finding in blocking)


def _check_existing(data: Mapping[str, Any], checked: _Checked, replace: bool, problems: list[Problem]) -> None:
    if checked.regime is None or checked.commune is None or checked.key is None:
        return
    key = checked.key
    existing = (
        Report.objects.filter(
            commune=checked.commune, period__regime=checked.regime, period__year=key.year, period__number=key.number
        )
        .select_related("period__regime")
        .first()
    )
    checked.existing = existing
    if existing is None:
        return
    what = f"{checked.commune.name} đã có báo cáo {key.label()}"
    status = ReportStatus(existing.status)
    if status in IMMUTABLE_STATUSES:
        problems.append(
            Problem(
                json_path("period"),
                f"{what} ở trạng thái “{status.label}”: báo cáo này không được thay thế. "
                "Báo cáo đã gửi chỉ sửa được khi bị trả lại; báo cáo đã tiếp nhận hoặc ban hành phải lập đính chính.",
            )
        )
    elif not replace:
        problems.append(
            Problem(
                json_path("period"),
                f"{what} (trạng thái “{status.label}”). Dùng tùy chọn --replace để thay thế báo cáo đó bằng tệp này.",
            )
        )


# --- Import: writes ---------------------------------------------------------------------------


def _create_regime(regime_data: Mapping[str, Any]) -> ReportingRegime:
    regime = ReportingRegime.objects.create(
        province_id=regime_data["province"],
        name=regime_data["name"],
        **{name: regime_data[name] for name in REGIME_FIELDS},
        **{name: regime_data.get(name, default) for name, default in OPTIONAL_REGIME_FIELDS.items()},
    )
    Target.objects.bulk_create(
        Target(regime=regime, indicator=indicator, minimum=_target_minimum(minimum))
        for indicator, minimum in regime_data["targets"].items()
    )
    # One insert per outline level: children need their parent's primary key.
    level: list[tuple[OutlineSection | None, Sequence[Mapping[str, Any]]]] = [(None, regime_data["outline"])]
    while level:
        created: list[tuple[OutlineSection, Sequence[Mapping[str, Any]]]] = []
        for parent, nodes in level:
            for position, node in enumerate(nodes, start=1):
                section = OutlineSection(
                    regime=regime,
                    parent=parent,
                    position=position,
                    key=node["key"],
                    **{name: node.get(name, SECTION_DEFAULTS.get(name)) for name in SECTION_FIELDS},
                )
                created.append((section, node.get("children", ())))
        OutlineSection.objects.bulk_create([section for section, _ in created])
        level = [(section, children) for section, children in created if children]
    return regime


@transaction.atomic
def ensure_regime(data: Mapping[str, Any]) -> tuple[ReportingRegime, bool]:
    """The regime an exchange file describes, created with its targets and outline when missing.

    An existing regime of the same province and name is left untouched (as imports do).
    """
    problems = schema_problems(data)
    if problems:
        raise ImportProblems(problems)
    regime_data = data["regime"]
    if not Province.objects.filter(pk=regime_data["province"]).exists():
        raise ImportProblems(
            [
                Problem(
                    json_path("regime", "province"),
                    f"Không có tỉnh, thành phố mã {regime_data['province']} trong cơ sở dữ liệu. Hãy nạp danh mục "
                    f"bằng lệnh: python manage.py load_communes --province {regime_data['province']}.",
                )
            ]
        )
    existing = ReportingRegime.objects.filter(province_id=regime_data["province"], name=regime_data["name"]).first()
    if existing is not None:
        return existing, False
    return _create_regime(regime_data), True


def _report_fields(data: Mapping[str, Any], content: Mapping[str, Any]) -> dict[str, Any]:
    document = data["document"]
    return {
        "status": data["status"],
        # Cleaned by the same door as a save from the screen, so an imported draft is stored alike.
        **content,
        "prefilled": list(data["prefilled"]),
        "number": document["number"],
        "issued_on": date.fromisoformat(document["issued_on"]) if document["issued_on"] else None,
    }


def _file_outline(data: Mapping[str, Any]) -> list[OutlineNode]:
    """The file's outline numbered as the app numbers it (for the keys and labels of the content door)."""
    regime = data.get("regime")
    nodes = regime.get("outline") if isinstance(regime, dict) else None
    sections: list[OutlineSection] = []
    level: list[tuple[int | None, Any]] = [(None, nodes)]
    while level:
        parent_id, children = level.pop()
        if not isinstance(children, list):
            continue
        for position, node in enumerate(children, start=1):
            if not isinstance(node, dict) or not isinstance(node.get("key"), str):
                continue
            section = OutlineSection(
                id=len(sections) + 1,
                parent_id=parent_id,
                position=position,
                key=node["key"],
                number_style=str(node.get("number_style", "")),
                title=str(node.get("title", "")),
                kind=str(node.get("kind", "")),
            )
            sections.append(section)
            level.append((section.id, node.get("children")))
    return build_outline(sections)


def _content_path(problem: ContentProblem) -> str:
    parts = problem.parts
    if parts and parts[0] in SIGNER_FIELDS:
        return json_path("document", *parts)
    return json_path(*parts)


def _non_finite_problems(data: Any) -> list[Problem]:
    """NaN and Infinity anywhere outside the content (the content door refuses them inside)."""
    problems = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(json_path(*parts), "Không phải là số."))
        elif isinstance(value, dict | list):
            pairs = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((child, (*parts, key)) for key, child in pairs)
    return problems


def _within(path: str, ancestor: str) -> bool:
    return path == ancestor or path.startswith((f"{ancestor}.", f"{ancestor}[")) or ancestor == "$"


def _content_input(data: Mapping[str, Any]) -> dict[str, Any]:
    document = data.get("document")
    if not isinstance(document, dict):
        document = {}
    raw: dict[str, Any] = {name: data.get(name) for name in ("figures", "narrative", "explanations")}
    raw |= {name: document[name] for name in DOCUMENT_TEXT_FIELDS if name in document}
    recipients = document.get("recipients", [])
    if isinstance(recipients, list) and all(isinstance(line, str) for line in recipients):
        raw["recipients"] = "\n".join(recipients)
    return raw


def content_problems(data: Mapping[str, Any]) -> list[Problem]:
    """The refusals of reports.content.clean_content (the door every save goes through) as file problems."""
    try:
        clean_content(_content_input(data), outline=_file_outline(data))
    except ContentError as error:
        return [Problem(_content_path(problem), problem.message) for problem in error.problems]
    return []


def _clean_content_or_raise(data: Mapping[str, Any]) -> dict[str, Any]:
    return clean_content(_content_input(data), outline=_file_outline(data))


def _content(report: Report) -> dict[str, Any]:
    """Everything an import may change, in the shape the save history compares."""
    return {
        **report_content(report),
        "status": report.status,
        "prefilled": report.prefilled,
        "number": report.number,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
    }


def _note(source: str, replaced: bool) -> str:
    action = "Thay thế nội dung bằng tệp" if replaced else "Nhập từ tệp"
    return f"{action} {source}" if source else action


@transaction.atomic
def import_report_data(
    data: dict[str, Any], *, replace: bool = False, by: User | None = None, source: str = ""
) -> Report:
    """Create (or, with `replace`, overwrite) the report a document describes, with its regime if new.

    Raises ImportProblems listing every problem, and then nothing has been written.
    """
    deep = too_deep(data, MAX_FILE_DEPTH)
    if deep is not None:
        # Refused before anything walks the document recursively (NFC, the schema, messages).
        raise ImportProblems([Problem(json_path(*deep), TOO_DEEP[:1].upper() + TOO_DEEP[1:])])
    # Vietnamese arrives composed or decomposed depending on the keyboard (house style 7.8); the
    # same name in two forms would otherwise make two regimes or miss a commune.
    data = nfc(data)
    refused = content_problems(data) if isinstance(data, dict) else []
    problems = [
        problem
        for problem in [*_non_finite_problems(data), *schema_problems(data)]
        if not any(_within(problem.path, other.path) for other in refused)
    ]
    if problems:
        # The business rules below rely on the shape the schema guarantees.
        raise ImportProblems(sorted([*refused, *problems], key=lambda problem: problem.path))
    checked = _Checked()
    _check_places(data, checked, problems)
    _check_regime(data, checked, problems)
    _check_period(data, checked, problems)
    _check_content(data, problems)
    if not refused:
        # The figure rules need figures the content door accepted (1e308 would break the arithmetic).
        _check_figures(data, checked, problems)
    _check_existing(data, checked, replace, problems)
    problems = [*refused, *problems]
    commune, key = checked.commune, checked.key
    # A missing commune or period always comes with its problem; the None test is for the type checker.
    if problems or commune is None or key is None:
        raise ImportProblems(problems)
    content = _clean_content_or_raise(data)

    fields = _report_fields(data, content)
    existing = checked.existing
    if existing is None:
        try:
            regime = checked.regime or _create_regime(data["regime"])
            period = get_or_create_period(regime, key)
            report = Report.objects.create(commune=commune, period=period, created_by=by, updated_by=by, **fields)
        except IntegrityError:
            # Someone created the same regime or report between our checks and our inserts.
            raise ImportProblems([Problem("$", CHANGED_MEANWHILE)]) from None
        record_event(report, kind=EventKind.IMPORTED, by=by, note=_note(source, replaced=False))
        return report
    before = _content(existing)
    # Claim the row only if it is still replaceable, in case it was accepted meanwhile; the new
    # version makes an editor who opened the old content get a conflict instead of overwriting.
    claimed = (
        Report.objects.filter(pk=existing.pk)
        .exclude(status__in=IMMUTABLE_STATUSES)
        .update(**fields, version=F("version") + 1, updated_by=by, updated_at=timezone.now())
    )
    if claimed != 1:
        raise ImportProblems([Problem(json_path("period"), CHANGED_MEANWHILE)])
    existing.refresh_from_db()
    changes = [change.as_dict() for change in diff_content(before, _content(existing))]
    record_event(existing, kind=EventKind.IMPORTED, by=by, changes=changes, note=_note(source, replaced=True))
    return existing
