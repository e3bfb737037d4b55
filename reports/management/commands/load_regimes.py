from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.exchange import ImportProblems, ensure_regime, read_report_file

# The outlines shipped with the app: Hải Phòng's two monthly outlines, taken from the real
# Hùng Thắng (May 2026) and Bình Giang (February 2026) reports, and its quarterly, 6-month,
# 9-month and yearly outlines, worded for their kind of period (empty drafts: only the regime
# part of those files is used).
SHIPPED = sorted((Path(__file__).resolve().parents[2] / "seed_data").glob("*.json"))


class Command(BaseCommand):
    help = (
        "Nạp các chế độ báo cáo kèm đề cương và chỉ tiêu có sẵn của Hải Phòng (hằng tháng mẫu Hùng Thắng, "
        "mẫu Bình Giang; hằng quý, 6 tháng, 9 tháng, hằng năm), "
        "không kèm báo cáo. Chạy lại nhiều lần vẫn an toàn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="Tệp JSON theo định dạng trao đổi (mặc định: các mẫu có sẵn).")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(name) for name in options["files"]] or SHIPPED
        created = kept = 0
        for path in paths:
            try:
                _, is_new = ensure_regime(read_report_file(path))
            except ImportProblems as error:
                raise CommandError("\n".join(f"{path}: {p.path}: {p.message}" for p in error.problems)) from None
            created += is_new
            kept += not is_new
        self.stdout.write(f"Chế độ báo cáo: tạo mới {created}, đã có {kept}.")
