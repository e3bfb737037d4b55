from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from communes.loading import load_communes


class Command(BaseCommand):
    help = "Nạp danh mục tỉnh, thành phố và xã, phường, đặc khu (cấu trúc 2025). Chạy lại nhiều lần vẫn an toàn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="31", help="Mã tỉnh, thành phố (mặc định 31: Hải Phòng) hoặc 'all'.")

    def handle(self, *args: Any, **options: Any) -> None:
        value = options["province"]
        if value == "all":
            code = None
        else:
            try:
                code = int(value)
            except ValueError:
                raise CommandError(f"Mã tỉnh không hợp lệ: {value!r}. Dùng một số (ví dụ 31) hoặc 'all'.") from None
        try:
            result = load_communes(code)
        except ValueError:
            raise CommandError(f"Không có tỉnh, thành phố mã {value}.") from None
        self.stdout.write(
            f"Đã nạp {result.provinces} tỉnh, thành phố: tạo mới {result.created} xã, phường; cập nhật {result.updated}."
        )
