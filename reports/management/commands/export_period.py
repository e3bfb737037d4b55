from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.period_files import FILE_FORMATS, PeriodLookupError, period_files, province_period_reports, unique_names


class Command(BaseCommand):
    help = (
        "Xuất báo cáo của mọi xã, phường của một tỉnh, thành phố trong một kỳ ra thư mục: mỗi xã một tệp, "
        "đặt tên như khi tải về (PDF: bản ký số hóa nếu đã lưu)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, help="Mã tỉnh, thành phố, ví dụ 31.")
        parser.add_argument("--period", required=True, help="Kỳ báo cáo, ví dụ 2026-05, 2026-Q1, 2026.")
        parser.add_argument("--format", default="pdf", help="pdf (mặc định) hoặc docx.")
        parser.add_argument("--output-dir", required=True, help="Thư mục ghi các tệp (tạo nếu chưa có).")
        parser.add_argument("--regime", help="Chỉ báo cáo của chế độ báo cáo có số này.")
        parser.add_argument("--workers", default="1", help="Số tiến trình dựng tệp song song (mặc định 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"].lower()
        # Checked here rather than with argparse choices and types, whose messages are in English.
        if fmt not in FILE_FORMATS:
            raise CommandError(
                f"Định dạng “{options['format']}” không được hỗ trợ; chọn một trong: {', '.join(FILE_FORMATS)}."
            )
        province = _positive_int(options["province"], "Mã tỉnh, thành phố")
        workers = _positive_int(options["workers"], "Số tiến trình")
        regime = None if options["regime"] is None else _positive_int(options["regime"], "Số chế độ báo cáo")
        try:
            reports = province_period_reports(province_code=province, period_slug=options["period"], regime_id=regime)
        except PeriodLookupError as error:
            raise CommandError(str(error)) from None
        if not reports:
            raise CommandError(f"Không có báo cáo nào của tỉnh, thành phố mã {province} trong kỳ {options['period']}.")
        output = Path(options["output_dir"])
        try:
            output.mkdir(parents=True, exist_ok=True)
            scans = 0
            for item in unique_names(period_files(reports, fmt, workers=workers)):
                (output / item.name).write_bytes(item.data)
                scans += item.from_scan
                if item.note:
                    self.stderr.write(item.note)
        except OSError:
            raise CommandError(
                f"Không ghi được vào thư mục {output} (không tồn tại hoặc không có quyền ghi)."
            ) from None
        scanned = f" ({scans} bản ký số hóa)" if scans else ""
        self.stdout.write(f"Đã xuất {len(reports)} báo cáo ({fmt.upper()}){scanned} vào {output}.")


def _positive_int(text: str, label: str) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise CommandError(f"{label} không hợp lệ: “{text}”. Dùng một số nguyên dương.") from None
    if value < 1:
        raise CommandError(f"{label} không hợp lệ: “{text}”. Dùng một số nguyên dương.")
    return value
