from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reports.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn cho các xã chưa gửi báo cáo và thư tổng hợp hằng ngày cho Trung tâm. Chạy mỗi ngày một lần."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Coi như hôm nay là ngày này (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không gửi thư.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"Ngày không hợp lệ: {options['date']!r} (định dạng YYYY-MM-DD).") from None
        result = send_reminders(today, dry_run=options["dry_run"])
        counts = f"{result.commune_mails} thư nhắc hạn và {result.digests} thư tổng hợp."
        self.stdout.write(f"Chạy thử: sẽ gửi {counts}" if options["dry_run"] else f"Đã gửi {counts}")
