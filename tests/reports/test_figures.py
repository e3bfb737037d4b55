"""Tests for reports.figures: shape, totals, rates and every check.

Every expected number was worked out by hand from the figures in the test (sums written out in
the comments); the messages are compared in full, as the officer reads them.
"""

from decimal import Decimal

from django.test import SimpleTestCase

from reports.figures import (
    Finding,
    RateSource,
    ResultRow,
    Severity,
    SourceKind,
    check_figures,
    check_structure,
    compute_rates,
    normalise_figures,
    parse_figures,
    percent,
    result_totals,
    to_decimal,
    unresolved_findings,
)
from tests.reports.entry_fixtures import BINH_GIANG, HUNG_THANG, figures_doc, load_seed, result_row

CITY = "Hệ thống thông tin giải quyết TTHC thành phố"
MINISTRIES = "Hệ thống thông tin giải quyết TTHC của các bộ"


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def by_code(findings: list[Finding], code: str) -> Finding:
    matches = [finding for finding in findings if finding.code == code]
    assert len(matches) == 1, codes(findings)
    return matches[0]


def balanced_row(**counts: int) -> dict:
    """A row whose received total equals resolved plus in progress (63 = 60 + 3)."""
    return result_row(CITY, "city", **{"online": 63, "on_time": 60, "pending_on_time": 3, **counts})


class ToDecimalTests(SimpleTestCase):
    def test_reads_numbers_and_numeric_strings(self) -> None:
        self.assertEqual(to_decimal(12), Decimal(12))
        self.assertEqual(to_decimal(" 93,01 "), Decimal("93.01"))
        self.assertEqual(to_decimal("7.5"), Decimal("7.5"))

    def test_blank_is_none(self) -> None:
        self.assertIsNone(to_decimal(None))
        self.assertIsNone(to_decimal(""))

    def test_rejects_text_booleans_and_infinity(self) -> None:
        for raw in ("abc", True, "Infinity", "NaN", float("inf")):
            with self.subTest(raw=raw), self.assertRaises(ValueError):
                to_decimal(raw)


class ResultRowTests(SimpleTestCase):
    def test_totals_follow_the_official_columns(self) -> None:
        row = ResultRow(
            source=CITY,
            kind=SourceKind.CITY,
            online=50,
            direct=10,
            carried_over=3,
            early=5,
            on_time=40,
            overdue=2,
            pending_on_time=12,
            pending_overdue=4,
        )
        self.assertEqual(row.received_new, 60)  # 50 + 10
        self.assertEqual(row.received, 63)  # (3) = 50 + 10 + 3
        self.assertEqual(row.resolved, 47)  # (7) = 5 + 40 + 2
        self.assertEqual(row.in_progress, 16)  # (11) = 12 + 4
        self.assertEqual(row.early_or_on_time, 45)  # 5 + 40


class ParseFiguresTests(SimpleTestCase):
    def test_missing_counts_are_zero_and_blank_values_are_left_out(self) -> None:
        figures = parse_figures(
            {"results": [{"source": CITY, "online": 5}], "values": {"pakn_received": "", "pakn_resolved": 2}}
        )
        self.assertEqual(figures.results[0].direct, 0)
        self.assertEqual(figures.results[0].online, 5)
        self.assertIs(figures.results[0].kind, SourceKind.CITY)
        self.assertEqual(dict(figures.values), {"pakn_resolved": Decimal(2)})

    def test_an_empty_document(self) -> None:
        figures = parse_figures(None)
        self.assertEqual((figures.results, figures.sector_agencies, figures.directives), ((), (), ()))
        self.assertEqual(dict(figures.values), {})


class ResultTotalsTests(SimpleTestCase):
    def test_hung_thang_may_2026(self) -> None:
        # Seed: city row 63 received (60 resolved + 3 in progress), ministries 116 (107 + 9).
        totals = result_totals(parse_figures(load_seed(HUNG_THANG)["figures"]).results)
        self.assertEqual(totals.received, 179)  # 63 + 116
        self.assertEqual(totals.online, 179)
        self.assertEqual(totals.resolved, 167)  # 60 + 107
        self.assertEqual(totals.in_progress, 12)  # 3 + 9
        self.assertEqual(totals.received_new_city, 63)
        self.assertEqual(totals.received_new_ministries, 116)
        self.assertEqual(totals.rows, 2)

    def test_no_rows(self) -> None:
        totals = result_totals(())
        self.assertEqual((totals.received, totals.resolved, totals.in_progress, totals.rows), (0, 0, 0, 0))


class PercentTests(SimpleTestCase):
    def test_two_decimals_rounded_half_up(self) -> None:
        self.assertEqual(percent(167, 179), Decimal("93.30"))  # 93.2960…
        self.assertEqual(percent(1, 3), Decimal("33.33"))
        self.assertEqual(percent(2, 3), Decimal("66.67"))
        self.assertEqual(percent(1, 800), Decimal("0.13"))  # 0.125 rounds up
        self.assertEqual(percent(60, 60), Decimal("100.00"))

    def test_no_denominator_gives_none(self) -> None:
        self.assertIsNone(percent(5, 0))


class ComputeRatesTests(SimpleTestCase):
    def test_results_rates_are_computed_from_the_table(self) -> None:
        rates = compute_rates(parse_figures(load_seed(HUNG_THANG)["figures"]))
        self.assertEqual(rates["rate_online_submission"].value, Decimal("100.00"))  # 179 / 179
        self.assertEqual(rates["rate_online_submission"].source, RateSource.COMPUTED)
        self.assertEqual(rates["rate_on_time"].value, Decimal("100.00"))  # (0 + 167) / 167
        self.assertEqual(rates["rate_on_time"].source, RateSource.COMPUTED)

    def test_typed_rates_without_their_counts_stay_typed(self) -> None:
        rates = compute_rates(parse_figures(load_seed(HUNG_THANG)["figures"]))
        self.assertEqual(rates["rate_online_payment"].value, Decimal(100))
        self.assertEqual(rates["rate_online_payment"].source, RateSource.TYPED)
        self.assertIsNone(rates["rate_pakn_satisfaction"].value)
        self.assertEqual(rates["rate_pakn_satisfaction"].source, RateSource.TYPED)

    def test_counts_win_over_a_typed_rate(self) -> None:
        data = figures_doc(payments_online=45, payments_total=60, rate_online_payment=90)
        rate = compute_rates(parse_figures(data))["rate_online_payment"]
        self.assertEqual(rate.value, Decimal("75.00"))  # 45 / 60
        self.assertEqual(rate.source, RateSource.COMPUTED)

    def test_one_count_alone_does_not_compute(self) -> None:
        rate = compute_rates(parse_figures(figures_doc(payments_online=45, rate_online_payment=90)))[
            "rate_online_payment"
        ]
        self.assertEqual((rate.value, rate.source), (Decimal(90), RateSource.TYPED))

    def test_rows_of_zeros_fall_back_to_the_typed_rate(self) -> None:
        data = figures_doc(result_row(), rate_online_submission=80)
        rate = compute_rates(parse_figures(data))["rate_online_submission"]
        self.assertEqual((rate.value, rate.source), (Decimal(80), RateSource.TYPED))

    def test_online_submission_counts_new_dossiers_only(self) -> None:
        # 30 online out of 30 + 70 new dossiers; the 20 carried over are not submissions.
        data = figures_doc(result_row(online=30, direct=70, carried_over=20, on_time=120))
        self.assertEqual(compute_rates(parse_figures(data))["rate_online_submission"].value, Decimal("30.00"))


class CheckStructureTests(SimpleTestCase):
    def test_text_instead_of_a_number(self) -> None:
        findings = check_structure(figures_doc(pakn_received="abc"))
        self.assertEqual(len(findings), 1)
        self.assertEqual(findings[0].message, "Số phản ánh, kiến nghị đã tiếp nhận: “abc” không phải là số.")
        self.assertEqual(findings[0].paths, ("values.pakn_received",))
        self.assertEqual(findings[0].severity, Severity.ERROR)

    def test_negative_counts_in_the_results_table(self) -> None:
        findings = check_structure(figures_doc(result_row(online=-5)))
        self.assertEqual([f.message for f in findings], ["Dòng 1: tiếp nhận trực tuyến không được âm (-5)."])
        self.assertEqual(findings[0].code, "negative:results.0.online")

    def test_negative_sector_agency_count(self) -> None:
        findings = check_structure(figures_doc(agencies=({"name": "Bảo hiểm xã hội", "received": -1},)))
        self.assertEqual([f.message for f in findings], ["Cơ quan ngành dọc 1: tiếp nhận không được âm (-1)."])

    def test_a_count_must_be_whole_but_a_rate_may_have_decimals(self) -> None:
        findings = check_structure(figures_doc(pakn_received="2.5", rate_digitisation="93.5"))
        self.assertEqual([f.message for f in findings], ["Số phản ánh, kiến nghị đã tiếp nhận phải là số nguyên."])

    def test_unknown_value_and_unknown_source_kind(self) -> None:
        findings = check_structure(figures_doc(result_row(kind="province"), foo=1))
        self.assertEqual(
            [f.message for f in findings],
            [
                "Dòng 1: loại hệ thống “province” không hợp lệ (city hoặc ministry).",
                "Chỉ tiêu “foo” không có trong danh mục.",
            ],
        )

    def test_structural_problems_stop_the_other_checks(self) -> None:
        # The row does not balance either, but nothing can be summed until the numbers are numbers.
        findings = check_figures(figures_doc(result_row(online="x", on_time=5)))
        self.assertEqual(codes(findings), ["invalid:results.0.online"])


class HardRuleTests(SimpleTestCase):
    def test_received_must_equal_resolved_plus_in_progress(self) -> None:
        # Received 100 + 50 + 29 = 179; resolved 0 + 167 + 0 = 167; in progress 11 + 0 = 11; 167 + 11 = 178.
        data = figures_doc(result_row(online=100, direct=50, carried_over=29, on_time=167, pending_on_time=11))
        finding = by_code(check_figures(data), "results.0.balance")
        self.assertEqual(
            finding.message, "Tổng số tiếp nhận (179) phải bằng đã giải quyết (167) cộng đang giải quyết (11)."
        )
        self.assertEqual(finding.severity, Severity.ERROR)
        self.assertFalse(finding.needs_explanation)
        self.assertEqual(
            finding.paths,
            tuple(
                f"results.0.{name}"
                for name in (
                    "online",
                    "direct",
                    "postal",
                    "carried_over",
                    "early",
                    "on_time",
                    "overdue",
                    "pending_on_time",
                    "pending_overdue",
                    "returned",
                )
            ),
        )

    def test_with_several_rows_the_message_names_the_row_and_groups_thousands(self) -> None:
        # Row 2: received 1.909; resolved 1.900 + in progress 5 = 1.905.
        data = figures_doc(
            balanced_row(), result_row(MINISTRIES, "ministry", online=1909, on_time=1900, pending_on_time=5)
        )
        findings = check_figures(data)
        self.assertEqual(codes(findings), ["results.1.balance"])
        self.assertEqual(
            findings[0].message,
            f"Dòng 2 ({MINISTRIES}): Tổng số tiếp nhận (1.909) phải bằng đã giải quyết (1.900) "
            "cộng đang giải quyết (5).",
        )

    def test_balanced_seed_figures_pass(self) -> None:
        self.assertEqual(check_figures(load_seed(HUNG_THANG)["figures"]), [])

    def test_stated_totals_must_equal_their_parts(self) -> None:
        row = {**balanced_row(), "received": 64, "resolved": 61, "in_progress": 4}
        findings = check_figures(figures_doc(row))
        self.assertEqual(
            [f.message for f in findings],
            [
                "Dòng 1: Tổng số tiếp nhận (64) phải bằng trực tuyến (63) cộng trực tiếp (0) cộng bưu chính (0) "
                "cộng kỳ trước chuyển sang (0).",
                "Dòng 1: Tổng số đã giải quyết (61) phải bằng trước hạn (0) cộng đúng hạn (60) cộng quá hạn (0).",
                "Dòng 1: Tổng số đang giải quyết (4) phải bằng trong hạn (3) cộng quá hạn (0).",
            ],
        )
        self.assertEqual(findings[0].paths, ("results.0.received",))

    def test_correct_stated_totals_pass(self) -> None:
        row = {**balanced_row(), "received": 63, "resolved": 60, "in_progress": 3}
        self.assertEqual(check_figures(figures_doc(row)), [])

    def test_sector_agency_cannot_resolve_more_than_it_received(self) -> None:
        agencies = ({"name": "Bảo hiểm xã hội", "received": 15, "resolved": 16}, {"received": 1, "resolved": 2})
        findings = check_figures(figures_doc(agencies=agencies))
        self.assertEqual(
            [f.message for f in findings],
            [
                "Bảo hiểm xã hội: số đã giải quyết (16) không được lớn hơn số tiếp nhận (15).",
                "Cơ quan ngành dọc: số đã giải quyết (2) không được lớn hơn số tiếp nhận (1).",
            ],
        )
        self.assertEqual(findings[0].paths, ("sector_agencies.0.resolved", "sector_agencies.0.received"))

    def test_city_procedures_must_be_provincial_plus_commune(self) -> None:
        # Bình Giang's seed: 1.909 + 379 = 2.288, not the stated 2.278.
        findings = check_figures(load_seed(BINH_GIANG)["figures"])
        self.assertEqual(codes(findings), ["procedures_city_total.balance"])
        finding = findings[0]
        self.assertEqual(
            finding.message,
            "Tổng số TTHC của thành phố (2.278) phải bằng số TTHC cấp tỉnh (1.909) cộng cấp xã (379) = 2.288.",
        )
        self.assertEqual(finding.severity, Severity.ERROR)
        # Quoted from the national database, which the commune cannot correct: explainable.
        self.assertTrue(finding.explainable)
        self.assertTrue(finding.needs_explanation)

    def test_city_procedures_balanced(self) -> None:
        data = figures_doc(procedures_city_total=2288, procedures_provincial=1909, procedures_commune=379)
        self.assertEqual(check_figures(data), [])

    def test_online_procedures_cannot_exceed_the_commune_procedures(self) -> None:
        # 219 + 160 = 379 > 300.
        data = figures_doc(procedures_fully_online=219, procedures_partly_online=160, procedures_commune=300)
        finding = by_code(check_figures(data), "procedures_online.exceeds")
        self.assertEqual(
            finding.message,
            "Số TTHC trực tuyến toàn trình (219) cộng một phần (160) không được lớn hơn số TTHC cấp xã (300).",
        )
        data["values"]["procedures_commune"] = 379
        self.assertEqual(check_figures(data), [])

    def test_citizen_feedback_parts_cannot_exceed_what_was_received(self) -> None:
        # Resolved 2 + in progress 1 = 3 > 2 received.
        finding = by_code(
            check_figures(figures_doc(pakn_received=2, pakn_resolved=2, pakn_in_progress=1)), "pakn.exceeds"
        )
        self.assertEqual(
            finding.message,
            "Số phản ánh, kiến nghị đã xử lý (2) cộng đang xử lý (1) không được lớn hơn số đã tiếp nhận (2).",
        )
        self.assertEqual(check_figures(figures_doc(pakn_received=2, pakn_resolved=2)), [])

    def test_business_feedback_is_part_of_all_feedback(self) -> None:
        finding = by_code(
            check_figures(figures_doc(pakn_received=2, pakn_business_received=3)), "pakn_business.exceeds"
        )
        self.assertEqual(
            finding.message,
            "Số phản ánh, kiến nghị về quy định kinh doanh (3) không được lớn hơn tổng số phản ánh, kiến nghị (2).",
        )

    def test_dossiers_with_time_cut_are_part_of_the_dossiers_received(self) -> None:
        data = figures_doc(balanced_row(), dossiers_time_cut=64)  # 64 > 63 received
        finding = by_code(check_figures(data), "dossiers_time_cut.exceeds")
        self.assertEqual(
            finding.message,
            "Số hồ sơ được cắt giảm thời gian (64) không được lớn hơn tổng số hồ sơ tiếp nhận (63).",
        )
        data["values"]["dossiers_time_cut"] = 63
        self.assertEqual(check_figures(data), [])

    def test_a_rate_numerator_cannot_exceed_its_denominator(self) -> None:
        finding = by_code(
            check_figures(figures_doc(payments_online=61, payments_total=60)), "rate_online_payment.parts"
        )
        self.assertEqual(
            finding.message,
            "Số hồ sơ thanh toán trực tuyến (61) không được lớn hơn số hồ sơ phải nộp phí, lệ phí (60).",
        )
        self.assertEqual(finding.paths, ("values.payments_online", "values.payments_total"))

    def test_a_typed_rate_cannot_exceed_100_percent(self) -> None:
        finding = by_code(check_figures(figures_doc(rate_online_payment="100.5")), "rate_online_payment.range")
        self.assertEqual(finding.message, "Tỷ lệ hồ sơ thanh toán trực tuyến (100,5%) không được lớn hơn 100%.")
        self.assertEqual(check_figures(figures_doc(rate_online_payment=100)), [])


class SoftRuleTests(SimpleTestCase):
    def test_carried_over_must_match_last_period_in_progress(self) -> None:
        # Last period: 3 + 9 = 12 still in progress; this period carries over 4 + 6 = 10.
        previous = load_seed(HUNG_THANG)["figures"]
        data = figures_doc(
            result_row(CITY, "city", online=10, carried_over=4, on_time=14),
            result_row(MINISTRIES, "ministry", online=10, carried_over=6, on_time=16),
        )
        findings = check_figures(data, previous=previous)
        self.assertEqual(codes(findings), ["carried_over.mismatch"])
        finding = findings[0]
        self.assertEqual(
            finding.message,
            "Số hồ sơ kỳ trước chuyển sang (10) khác số hồ sơ đang giải quyết cuối kỳ trước (12). "
            "Vui lòng kiểm tra lại hoặc giải trình.",
        )
        self.assertEqual(finding.severity, Severity.WARNING)
        self.assertEqual(finding.paths, ("results.0.carried_over", "results.1.carried_over"))

    def test_carried_over_matching_or_nothing_to_compare(self) -> None:
        previous = load_seed(HUNG_THANG)["figures"]
        data = figures_doc(result_row(online=10, carried_over=12, on_time=22))
        self.assertEqual(check_figures(data, previous=previous), [])
        other = figures_doc(result_row(online=10, carried_over=5, on_time=15))
        self.assertEqual(check_figures(other), [])
        self.assertEqual(check_figures(other, previous=figures_doc()), [])

    def test_a_typed_rate_below_its_target(self) -> None:
        findings = check_figures(figures_doc(rate_digitisation=95), targets={"rate_digitisation": Decimal(100)})
        self.assertEqual(codes(findings), ["rate_digitisation.below_target"])
        self.assertEqual(
            findings[0].message,
            "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC (95%) thấp hơn chỉ tiêu thành phố giao (100%). "
            "Vui lòng giải trình nguyên nhân.",
        )
        self.assertEqual(findings[0].severity, Severity.WARNING)
        self.assertEqual(findings[0].paths, ("values.rate_digitisation",))

    def test_a_computed_rate_below_its_target(self) -> None:
        # 30 online of 30 + 70 = 100 new dossiers: 30% against 60%.
        data = figures_doc(result_row(online=30, direct=70, on_time=100))
        findings = check_figures(data, targets={"rate_online_submission": Decimal(60)})
        self.assertEqual(
            [f.message for f in findings],
            [
                "Tỷ lệ nộp hồ sơ trực tuyến (30%) thấp hơn chỉ tiêu thành phố giao (60%). "
                "Vui lòng giải trình nguyên nhân."
            ],
        )

    def test_a_rate_at_its_target_or_without_a_value_or_an_unknown_target(self) -> None:
        targets = {"rate_digitisation": Decimal(100), "rate_data_reuse": Decimal(50), "rate_unknown": Decimal(1)}
        self.assertEqual(check_figures(figures_doc(rate_digitisation=100), targets=targets), [])

    def test_a_figure_far_above_its_usual_level(self) -> None:
        # History medians: received 110 and resolved 110; 400 > 3 × 110 = 330.
        history = [figures_doc(result_row(online=n, on_time=n)) for n in (100, 110, 120)]
        findings = check_figures(figures_doc(result_row(online=400, on_time=400)), history=history)
        self.assertEqual(codes(findings), ["received.outlier", "resolved.outlier"])
        self.assertEqual(
            findings[0].message,
            "Tổng số hồ sơ tiếp nhận (400) khác xa mức thường thấy của xã trong 3 kỳ gần nhất (trung vị 110). "
            "Vui lòng kiểm tra lại hoặc giải trình.",
        )
        self.assertEqual(findings[0].severity, Severity.WARNING)

    def test_a_figure_far_below_its_usual_level(self) -> None:
        # 110 / 3 = 36,67: 36 is far below, 37 is not.
        history = [figures_doc(pakn_received=n) for n in (100, 110, 120)]
        self.assertEqual(
            codes(check_figures(figures_doc(pakn_received=36), history=history)), ["pakn_received.outlier"]
        )
        self.assertEqual(check_figures(figures_doc(pakn_received=37), history=history), [])

    def test_outliers_need_three_periods_and_a_usual_level_of_ten(self) -> None:
        two = [figures_doc(pakn_received=n) for n in (100, 110)]
        self.assertEqual(check_figures(figures_doc(pakn_received=1000), history=two), [])
        small = [figures_doc(pakn_received=n) for n in (5, 6, 7)]
        self.assertEqual(check_figures(figures_doc(pakn_received=100), history=small), [])

    def test_only_the_last_twelve_periods_count(self) -> None:
        # Oldest first: 13 periods of 100, then 12 of 1.000. Over all 25 the median would be 100
        # and 1.000 would be an outlier; over the last 12 the median is 1.000.
        history = [figures_doc(pakn_received=100)] * 13 + [figures_doc(pakn_received=1000)] * 12
        self.assertEqual(check_figures(figures_doc(pakn_received=1000), history=history), [])


class UnresolvedFindingsTests(SimpleTestCase):
    error = Finding("results.0.balance", Severity.ERROR, "…")
    explainable_error = Finding("procedures_city_total.balance", Severity.ERROR, "…", explainable=True)
    warning = Finding("carried_over.mismatch", Severity.WARNING, "…")

    def test_without_explanations_everything_blocks(self) -> None:
        findings = [self.error, self.explainable_error, self.warning]
        self.assertEqual(unresolved_findings(findings, {}), findings)

    def test_explanations_resolve_warnings_and_explainable_errors_only(self) -> None:
        explanations = {
            "results.0.balance": "Giải trình không thay được số liệu đúng.",
            "procedures_city_total.balance": "Số liệu trích từ Cơ sở dữ liệu quốc gia.",
            "carried_over.mismatch": "Có 2 hồ sơ rút.",
        }
        self.assertEqual(
            unresolved_findings([self.error, self.explainable_error, self.warning], explanations), [self.error]
        )

    def test_a_blank_explanation_does_not_count(self) -> None:
        self.assertEqual(unresolved_findings([self.warning], {"carried_over.mismatch": "   "}), [self.warning])


class NormaliseFiguresTests(SimpleTestCase):
    def test_the_stored_form(self) -> None:
        data = {
            "results": [
                {"source": CITY, "kind": "ministry", "online": "12", "on_time": 12.0, "received": 12, "resolved": 12}
            ],
            "sector_agencies": [{"name": "Bảo hiểm xã hội", "received": "15"}],
            "directives": [{"doc_type": "Kế hoạch", "number": "27/KH-UBND", "issued_on": "2026-01-23", "subject": "x"}],
            "values": {"rate_on_time": "93.456", "pakn_received": "2", "unknown": 5, "pakn_resolved": ""},
        }
        self.assertEqual(
            normalise_figures(data),
            {
                "results": [
                    {
                        "source": CITY,
                        "kind": "ministry",
                        "online": 12,
                        "direct": 0,
                        "postal": 0,
                        "carried_over": 0,
                        "early": 0,
                        "on_time": 12,
                        "overdue": 0,
                        "pending_on_time": 0,
                        "pending_overdue": 0,
                        "returned": 0,
                    }
                ],
                "sector_agencies": [{"name": "Bảo hiểm xã hội", "received": 15, "resolved": 0}],
                "directives": [
                    {"doc_type": "Kế hoạch", "number": "27/KH-UBND", "issued_on": "2026-01-23", "subject": "x"}
                ],
                "values": {"pakn_received": 2, "rate_on_time": 93.46},
            },
        )

    def test_normalising_twice_changes_nothing(self) -> None:
        once = normalise_figures(load_seed(BINH_GIANG)["figures"])
        self.assertEqual(normalise_figures(once), once)


class DeclaredTotalStructureTests(SimpleTestCase):
    def test_a_declared_total_that_is_not_a_number_is_reported(self) -> None:
        data = {"results": [{"source": "Hệ thống", "kind": "city", "online": 5, "received": "abc"}]}
        findings = check_figures(data)
        self.assertEqual([f.code for f in findings], ["invalid:results.0.received"])
        self.assertEqual(findings[0].message, "Dòng 1: tổng số tiếp nhận: “abc” không phải là số.")
