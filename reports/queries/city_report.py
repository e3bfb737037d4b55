"""Reads for the Centre's own report: what its document says about a period, as plain data.

`city_report_data` sums the communes' figures with the city totals of reports/queries/city.py
(rates recomputed from the summed counts, never averaged) and returns a `CityReportData` that
can be stored as JSON when the report is issued, so an issued report prints what it printed
that day (`CityReportData.from_json`). Four queries whatever the number of communes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max

from communes.models import Province
from reports import figures as fig
from reports.models import (
    CENTRE_DOCUMENT_FIELDS,
    CityCentre,
    CityReport,
    Period,
    ReportStatus,
    default_centre_details,
)
from reports.queries.city import SENT_STATUSES, Basis, period_figures

# JSON layout version of CityReportData.to_json, for issued reports read back years later.
DATA_FORMAT = 1
# The two rates the appendix prints beside each commune's counts.
APPENDIX_RATE_KEYS = fig.RESULTS_RATE_KEYS


@dataclass(frozen=True)
class CentreDetails:
    header_parent: str
    header_agency: str
    name_in_text: str
    place_name: str
    document_symbol: str
    signer_authority: str
    signer_position: str
    signer_name: str
    recipients: str


@dataclass(frozen=True)
class CommuneLine:
    """One commune of the period: where its report stands and, when summed, its counts."""

    name: str
    status: str  # a ReportStatus value or "missing"
    days_late: int
    counted: bool  # its figures are in the city totals
    columns: tuple[int, ...]  # columns (3)-(13) of the results form; () when not counted
    rates: tuple[Decimal | None, ...]  # APPENDIX_RATE_KEYS; () when not counted

    @property
    def sent(self) -> bool:
        return self.status in SENT_STATUSES


@dataclass(frozen=True)
class RateLine:
    """A city rate recomputed from the summed counts, against its target."""

    key: str
    value: Decimal | None
    minimum: Decimal | None
    met: int  # communes (among those summed) meeting the target
    missed: int
    no_data: int
    counted: int  # reports whose counts went into the rate
    typed: int  # reports that typed the rate without its counts (left out of the sum)

    @property
    def label(self) -> str:
        return fig.VALUE_SPEC_BY_KEY[self.key].label

    @property
    def outcome(self) -> fig.TargetOutcome:
        if self.value is None or self.minimum is None:
            return fig.TargetOutcome.NO_DATA
        return fig.TargetOutcome.MET if self.value >= self.minimum else fig.TargetOutcome.MISSED


@dataclass(frozen=True)
class CityReportData:
    basis: str
    directive: str  # the regime's citation, quoted by the opening sentence
    centre: CentreDetails
    communes: tuple[CommuneLine, ...]
    reports_counted: int
    totals: fig.ResultCounts
    rates: tuple[RateLine, ...]

    @property
    def bound(self) -> int:
        return len(self.communes)

    @property
    def sent(self) -> tuple[CommuneLine, ...]:
        return tuple(line for line in self.communes if line.sent)

    @property
    def sent_on_time(self) -> tuple[CommuneLine, ...]:
        return tuple(line for line in self.sent if line.days_late == 0)

    @property
    def sent_late(self) -> tuple[CommuneLine, ...]:
        return tuple(line for line in self.sent if line.days_late > 0)

    @property
    def returned(self) -> tuple[CommuneLine, ...]:
        return tuple(line for line in self.communes if line.status == ReportStatus.RETURNED)

    @property
    def not_sent(self) -> tuple[CommuneLine, ...]:
        """No report, or a draft never sent (returned reports are listed on their own)."""
        return tuple(line for line in self.communes if not line.sent and line.status != ReportStatus.RETURNED)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": DATA_FORMAT,
            "basis": self.basis,
            "directive": self.directive,
            "centre": {name: getattr(self.centre, name) for name in CENTRE_DOCUMENT_FIELDS},
            "communes": [
                {
                    "name": line.name,
                    "status": line.status,
                    "days_late": line.days_late,
                    "counted": line.counted,
                    "columns": list(line.columns),
                    "rates": [_decimal_text(rate) for rate in line.rates],
                }
                for line in self.communes
            ],
            "reports_counted": self.reports_counted,
            "totals": {name: getattr(self.totals, name) for name in fig.RESULT_FIELDS},
            "rates": [
                {
                    "key": rate.key,
                    "value": _decimal_text(rate.value),
                    "minimum": _decimal_text(rate.minimum),
                    "met": rate.met,
                    "missed": rate.missed,
                    "no_data": rate.no_data,
                    "counted": rate.counted,
                    "typed": rate.typed,
                }
                for rate in self.rates
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CityReportData:
        return cls(
            basis=str(data["basis"]),
            directive=str(data["directive"]),
            centre=CentreDetails(**{name: str(data["centre"][name]) for name in CENTRE_DOCUMENT_FIELDS}),
            communes=tuple(
                CommuneLine(
                    name=str(line["name"]),
                    status=str(line["status"]),
                    days_late=int(line["days_late"]),
                    counted=bool(line["counted"]),
                    columns=tuple(int(value) for value in line["columns"]),
                    rates=tuple(_decimal(value) for value in line["rates"]),
                )
                for line in data["communes"]
            ),
            reports_counted=int(data["reports_counted"]),
            totals=fig.ResultCounts(**{name: int(data["totals"][name]) for name in fig.RESULT_FIELDS}),
            rates=tuple(
                RateLine(
                    key=str(rate["key"]),
                    value=_decimal(rate["value"]),
                    minimum=_decimal(rate["minimum"]),
                    met=int(rate["met"]),
                    missed=int(rate["missed"]),
                    no_data=int(rate["no_data"]),
                    counted=int(rate["counted"]),
                    typed=int(rate["typed"]),
                )
                for rate in data["rates"]
            ),
        )


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def centre_for(province: Province) -> CityCentre:
    """The province's Centre as configured, or its defaults (unsaved) until it is: one query."""
    centre = CityCentre.objects.filter(province=province).first()
    if centre is None:
        centre = CityCentre(province=province, **default_centre_details(province))
    return centre


def centre_details(centre: CityCentre) -> CentreDetails:
    return CentreDetails(**{name: getattr(centre, name) for name in CENTRE_DOCUMENT_FIELDS})


def city_report_for_period(period: Period) -> CityReport | None:
    return CityReport.objects.filter(period=period).first()


def city_report_data(period: Period, *, basis: str, centre: CityCentre) -> CityReportData:
    """The live data of the Centre's report for `period` (its regime and province loaded):
    three queries (reports, communes, targets) through reports/queries/city.py."""
    chosen = Basis(basis)
    grid = period_figures(period, basis=chosen)
    counted = {row.commune_code for row in grid.totals.rows}
    communes = []
    for row in grid.rows:
        is_counted = row.commune_code in counted and row.totals is not None
        communes.append(
            CommuneLine(
                name=row.commune_name,
                status=row.status,
                days_late=row.days_late,
                counted=is_counted,
                columns=row.totals.form_columns() if is_counted and row.totals is not None else (),
                rates=tuple(row.rates[key].value for key in APPENDIX_RATE_KEYS) if is_counted else (),
            )
        )
    summed = grid.totals.summed
    tallies = {tally.key: tally for tally in grid.totals.targets}
    rates = []
    for key in fig.RATE_KEYS:
        value = summed.rates[key].value if summed.reports else None
        minimum = grid.targets.get(key)
        if value is None and minimum is None and key not in fig.RESULTS_RATE_KEYS:
            continue
        tally = tallies.get(key)
        coverage = summed.coverage.get(key)
        rates.append(
            RateLine(
                key=key,
                value=value,
                minimum=minimum,
                met=tally.met if tally else 0,
                missed=tally.missed if tally else 0,
                no_data=tally.no_data if tally else 0,
                counted=coverage.counted if coverage else 0,
                typed=coverage.typed if coverage else 0,
            )
        )
    totals = summed.totals
    return CityReportData(
        basis=chosen.value,
        directive=period.regime.directive,
        centre=centre_details(centre),
        communes=tuple(communes),
        reports_counted=summed.reports,
        totals=fig.ResultCounts(**{name: getattr(totals, name) for name in fig.RESULT_FIELDS}),
        rates=tuple(rates),
    )


def data_for_city_report(period: Period, city_report: CityReport | None) -> CityReportData:
    """What the document prints: frozen at issue, else live from the communes' reports."""
    if city_report is not None and city_report.is_issued and city_report.content is not None:
        return CityReportData.from_json(city_report.content)
    basis = city_report.basis if city_report is not None else Basis.SENT.value
    return city_report_data(period, basis=basis, centre=centre_for(period.regime.province))


def suggested_number(province_id: int, year: int) -> int:
    """The next number of the Centre's register for `year`; the văn thư may enter another."""
    last = CityReport.objects.filter(province_id=province_id, issued_on__year=year).aggregate(last=Max("number"))
    return int(last["last"] or 0) + 1
