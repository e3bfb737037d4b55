"""python manage.py import_dossiers --commune CODE FILE [--source NAME] [--kind city|ministry]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from communes.models import Commune
from dossiers import services


class Command(BaseCommand):
    help = "Nhập danh sách hồ sơ TTHC (CSV hoặc XLSX) của một xã; nhập lại cùng tệp sẽ cập nhật, không nhân đôi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--commune", type=int, required=True, help="mã xã, phường (ví dụ 11809)")
        parser.add_argument("--source", default=services.CITY_SOURCE, help="tên hệ thống nguồn")
        parser.add_argument("--kind", choices=["city", "ministry"], help="loại hệ thống (mặc định theo tên)")

    def handle(self, *args: Any, **options: Any) -> None:
        commune = Commune.objects.filter(pk=options["commune"]).first()
        if commune is None:
            raise CommandError(f"Không có xã, phường mã {options['commune']}.")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {path}: {error.strerror}.") from None
        try:
            record = services.import_dossiers(
                commune=commune,
                data=data,
                file_name=path.name,
                source_system=options["source"],
                source_kind=options["kind"],
                by=None,
            )
        except services.ImportRefused as error:
            raise CommandError("\n".join(services.refusal_messages(error))) from None
        self.stdout.write(
            f"{commune.name}: {record.rows} hồ sơ từ {record.source_system} "
            f"({record.created} mới, {record.updated} cập nhật)."
        )
