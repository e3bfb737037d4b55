"""Reads for the review screens: what changed since the last submission and since last period,
the comments, and the archive of issued versions. A fixed number of queries per report."""

from dataclasses import dataclass
from typing import Any

from reports import figures as figures_module
from reports import labels
from reports.diff import diff_content
from reports.models import EventKind, Report, ReportEvent, ReportStatus, ReviewComment, Submission
from reports.outline import build_outline
from reports.periods import Frequency, PeriodKey

# Parts of a submission's content a reviewer compares; the regime's outline rarely changes.
COMPARED_PARTS = ("figures", "narrative", "explanations", "document")


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


def section_titles(report: Report) -> dict[str, str]:
    nodes = build_outline(report.period.regime.sections.all())
    return labels.section_titles(nodes)


def compare(old: dict[str, Any] | None, new: dict[str, Any] | None, titles: dict[str, str]) -> list[ChangeRow] | None:
    """Rows of what changed from `old` to `new` (None when there is nothing to compare with)."""
    if old is None or new is None:
        return None
    old_part = {part: old.get(part) for part in COMPARED_PARTS}
    new_part = {part: new.get(part) for part in COMPARED_PARTS}
    changes = sorted(diff_content(old_part, new_part), key=lambda change: _reading_order(change.path, titles))
    return [
        ChangeRow(
            label=labels.path_label(change.path, titles, new),
            old=labels.value_text(change.old, path=change.path),
            new=labels.value_text(change.new, path=change.path),
        )
        for change in changes
    ]


VALUE_ORDER = {spec.key: index for index, spec in enumerate(figures_module.VALUE_SPECS)}
RESULT_ORDER = {name: index for index, name in enumerate(figures_module.RESULT_FIELDS)}
FIGURE_PARTS = ("results", "sector_agencies", "directives", "values")


def _reading_order(path: str, titles: dict[str, str]) -> tuple[int | str, ...]:
    """Changes in the order a reader meets them: figures as in the form, then sections as in the
    outline; stored content has no reliable key order (PostgreSQL's jsonb reorders keys)."""
    parts = path.split(".")
    part_rank = COMPARED_PARTS.index(parts[0]) if parts[0] in COMPARED_PARTS else len(COMPARED_PARTS)
    rest: tuple[int | str, ...] = tuple(parts[1:])
    if parts[0] == "figures" and len(parts) > 1:
        group = FIGURE_PARTS.index(parts[1]) if parts[1] in FIGURE_PARTS else len(FIGURE_PARTS)
        row = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else -1
        if parts[1] == "values":
            rest = (group, VALUE_ORDER.get(parts[2], len(VALUE_ORDER)) if len(parts) > 2 else -1, path)
        else:
            column = RESULT_ORDER.get(parts[3], len(RESULT_ORDER)) if len(parts) > 3 else -1
            rest = (group, row, column, path)
    elif parts[0] == "narrative" and len(parts) > 1:
        order = list(titles)
        rest = (order.index(parts[1]) if parts[1] in order else len(order), path)
    else:
        rest = (0, path)
    return (part_rank, *rest)


def previous_period_content(report: Report) -> dict[str, Any] | None:
    """Last period's accepted or issued report of the same commune and regime, as submitted."""
    try:
        key = PeriodKey(Frequency(report.period.regime.frequency), report.period.year, report.period.number).previous()
    except ValueError:
        return None  # the first period the calendar knows
    submission = (
        Submission.objects.filter(
            report__commune_id=report.commune_id,
            report__period__regime_id=report.period.regime_id,
            report__period__year=key.year,
            report__period__number=key.number,
            report__status__in=(ReportStatus.ACCEPTED, ReportStatus.ISSUED),
        )
        .order_by("-sequence")
        .first()
    )
    return submission.content if submission else None


@dataclass(frozen=True)
class PinnedComment:
    """A review comment with a Vietnamese label of where it is pinned."""

    comment: ReviewComment
    where: str


def pinned_comments(report: Report, titles: dict[str, str] | None = None) -> list[PinnedComment]:
    """The report's review comments, oldest first, each with where it applies (two queries)."""
    titles = section_titles(report) if titles is None else titles
    comments = ReviewComment.objects.filter(report=report).select_related("author", "answered_by")
    return [PinnedComment(comment, labels.anchor_label(comment.anchor, titles, report.figures)) for comment in comments]


def latest_return(report: Report) -> ReportEvent | None:
    """The city's last return (its note is the reason) while the report is back with the commune."""
    if report.status != ReportStatus.RETURNED:
        return None
    return report.events.filter(kind=EventKind.RETURNED).select_related("by").order_by("-at", "-id").first()


def review_context(report: Report) -> dict[str, Any]:
    submissions = list(report.submissions.select_related("submitted_by").order_by("-sequence")[:2])
    latest = submissions[0] if submissions else None
    earlier = submissions[1] if len(submissions) > 1 else None
    titles = section_titles(report)
    latest_content = latest.content if latest else None
    last_period = previous_period_content(report)
    return {
        "changed_since_submission": changed_places(earlier.content if earlier else None, latest_content),
        "changed_since_last_period": changed_places(last_period, latest_content),
        "latest_submission": latest,
        "earlier_submission": earlier,
        "changes_since_submission": compare(earlier.content if earlier else None, latest_content, titles),
        "changes_since_last_period": compare(last_period, latest_content, titles),
        "comments": pinned_comments(report, titles),
        "returns": list(report.events.filter(kind=EventKind.RETURNED).select_related("by").order_by("-at", "-id")),
        "anchors": anchor_choices(report, titles),
        "can_decide": report.status == ReportStatus.SUBMITTED,
    }


def changed_places(old: dict[str, Any] | None, new: dict[str, Any] | None) -> set[str]:
    """The anchors of the places that differ ("section:cong-khai", "figure:results.0",
    "figure:values.pakn_received"), so the report shown on the review page marks them inline."""
    if old is None or new is None:
        return set()
    places = set()
    parts_compared = ("figures", "narrative")
    changes = diff_content({p: old.get(p) or {} for p in parts_compared}, {p: new.get(p) or {} for p in parts_compared})
    for change in changes:
        parts = change.path.split(".")
        if parts[0] == "narrative" and len(parts) > 1:
            places.add(f"section:{parts[1]}")
        elif parts[0] == "figures" and len(parts) > 2:
            places.add(f"figure:{parts[1]}.{parts[2]}")
    return places


@dataclass(frozen=True)
class ReviewedSection:
    """A section of the report as the review page shows it, with its comments and change marks."""

    view: Any
    comments: list[PinnedComment]
    anchor: str
    changed_since_submission: bool
    changed_since_last_period: bool


def reviewed_content(report: Report, detail: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """The report itself on the review page: its figures and sections (from the report page's
    reads), each section and results row marked where it changed."""
    since_submission, since_period = context["changed_since_submission"], context["changed_since_last_period"]
    sections = [
        ReviewedSection(
            view,
            comments,
            f"section:{view.node.key}",
            f"section:{view.node.key}" in since_submission,
            f"section:{view.node.key}" in since_period,
        )
        for view, comments in detail["sections_with_comments"]
    ]
    rows = [
        (
            line,
            f"figure:results.{index}",
            f"figure:results.{index}" in since_submission,
            f"figure:results.{index}" in since_period,
        )
        for index, line in enumerate(detail["figures"].results.rows if detail["figures"].results else ())
    ]
    return {"figures": detail["figures"], "reviewed_sections": sections, "reviewed_rows": rows}


def anchor_choices(report: Report, titles: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Where a reviewer may pin a comment: each section, each row and cell of the results table,
    each sector agency, each typed value and every rate."""
    titles = section_titles(report) if titles is None else titles
    choices = [(f"section:{key}", f"Mục {title}") for key, title in titles.items()]
    content = report.figures or {}
    document = {"figures": content}

    def add(path: str) -> None:
        choices.append(
            (f"figure:{path}", f"{labels.FIGURES}: {labels.path_label(f'figures.{path}', titles, document)}")
        )

    for index, _row in enumerate(content.get("results", [])):
        add(f"results.{index}")
        for column in figures_module.RESULT_FIELDS:
            add(f"results.{index}.{column}")
    for index, _agency in enumerate(content.get("sector_agencies", [])):
        add(f"sector_agencies.{index}")
    keys = set(content.get("values", {})) | set(figures_module.RATE_KEYS)
    for spec in figures_module.VALUE_SPECS:
        if spec.key in keys:
            add(f"values.{spec.key}")
    return choices


def scans_context(report: Report) -> dict[str, Any]:
    """Every scan of the report, newest first (replaced ones kept), and the one in force (one query)."""
    scans = list(
        report.scans.select_related("uploaded_by", "replaced_by", "confirmed_by").order_by("-revision", "-uploaded_at")
    )
    current = next((scan for scan in scans if scan.revision == report.revision and scan.replaced_at is None), None)
    return {"scans": scans, "current_scan": current}


def archive_context(report: Report) -> dict[str, Any]:
    """The scans and the versions kept by amendments."""
    versions = list(report.versions.select_related("amended_by").order_by("-revision"))
    return {**scans_context(report), "versions": versions}
