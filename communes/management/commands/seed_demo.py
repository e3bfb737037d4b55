from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from communes.demo import DEMO_PASSWORD, create_demo_accounts
from communes.models import Role
from reports.demo import load_demo_reports


class Command(BaseCommand):
    help = "Tạo tài khoản và dữ liệu mẫu (chỉ dùng để thử nghiệm). Chạy lại nhiều lần vẫn an toàn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Cho phép chạy khi DJANGO_DEBUG tắt.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Dữ liệu mẫu chỉ dùng khi thử nghiệm (DJANGO_DEBUG=True). Thêm --force nếu thật sự muốn."
            )
        try:
            accounts = create_demo_accounts()
        except ValueError as error:
            raise CommandError(str(error)) from None
        reports = load_demo_reports()
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<20} {Role(account.role).label if account.role else 'Quản trị hệ thống'}"
            )
        self.stdout.write(f"Báo cáo mẫu: {reports}.")
