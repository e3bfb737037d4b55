from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from reports.exchange import ImportProblems, Problem, import_report_data, read_report_file
from reports.models import Report


class _RollBack(Exception):  # noqa: N818 - internal signal, never leaves this module
    pass


class Command(BaseCommand):
    help = "Nhập báo cáo từ tệp JSON (định dạng trong docs/report-format.md). Có lỗi thì không nhập tệp nào."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Tệp JSON xuất bởi export_report.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Thay thế báo cáo đã có của cùng xã và kỳ (trừ báo cáo đã tiếp nhận hoặc đã ban hành).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        imported: list[Report] = []
        problems: list[tuple[str, Problem]] = []
        try:
            # All files or none: a batch is one transaction, and every file is still checked so
            # that one run lists every problem.
            with transaction.atomic():
                for name in options["files"]:
                    try:
                        data = read_report_file(Path(name))
                        imported.append(import_report_data(data, replace=options["replace"], source=Path(name).name))
                    except ImportProblems as error:
                        problems.extend((name, problem) for problem in error.problems)
                if problems:
                    raise _RollBack
        except _RollBack:
            for name, problem in problems:
                self.stderr.write(f"{name}: {problem.path}: {problem.message}")
            files = len({name for name, _ in problems})
            raise CommandError(
                f"Không nhập báo cáo nào: {len(problems)} lỗi trong {files} tệp; cơ sở dữ liệu không thay đổi."
            ) from None
        names = ", ".join(f"{report.commune.name_in_text} {report.period.label}" for report in imported)
        self.stdout.write(f"Đã nhập {len(imported)} báo cáo: {names}.")
