from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.exchange import ReportLookupError, dump_report_json, export_report_data, find_report
from reports.rendering.export import render_report

FORMATS = ("json", "docx", "pdf", "html")


class Command(BaseCommand):
    help = "Xuất một báo cáo ra tệp JSON (để nhập lại), DOCX, PDF hoặc HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commune", required=True, help="Mã xã, phường, đặc khu, ví dụ 11809.")
        parser.add_argument("--period", required=True, help="Kỳ báo cáo, ví dụ 2026-05, 2026-Q1, 2026.")
        parser.add_argument("--regime", help="Tên chế độ báo cáo, khi xã có báo cáo của nhiều chế độ trong kỳ.")
        parser.add_argument("--format", default="json", help="json (mặc định), docx, pdf hoặc html.")
        parser.add_argument("--output", required=True, help="Đường dẫn tệp ghi ra.")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"].lower()
        # Checked here rather than with argparse choices, whose message is in English.
        if fmt not in FORMATS:
            raise CommandError(
                f"Định dạng “{options['format']}” không được hỗ trợ; chọn một trong: {', '.join(FORMATS)}."
            )
        try:
            commune_code = int(options["commune"])
        except ValueError:
            raise CommandError(f"Mã xã không hợp lệ: “{options['commune']}”. Dùng một số, ví dụ 11809.") from None
        try:
            report = find_report(commune_code=commune_code, period=options["period"], regime_name=options["regime"])
        except ReportLookupError as error:
            raise CommandError(str(error)) from None
        if fmt == "json":
            content = dump_report_json(export_report_data(report)).encode("utf-8")
        else:
            content = render_report(report, fmt)
        output = Path(options["output"])
        try:
            output.write_bytes(content)
        except OSError:
            raise CommandError(
                f"Không ghi được tệp {output} (thư mục không tồn tại hoặc không có quyền ghi)."
            ) from None
        self.stdout.write(
            f"Đã xuất báo cáo {report.commune.name_in_text} {report.period.label} ({fmt.upper()}) ra {output}."
        )
