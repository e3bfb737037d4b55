"""Writes for dossier lists: importing a file (all or nothing, upserting on code and source),
saving a column mapping, and filling a report's figures from the dossiers.

Services take keyword-only arguments, never see a request, and raise ImportRefused or
ValidationError with Vietnamese messages; on any refusal nothing is stored.
"""

import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from communes.models import Commune
from dossiers import reading, staging
from dossiers.models import ColumnMapping, Dossier, DossierImport, DossierImportJob, JobStatus, SourceKind

CITY_SOURCE = "Hệ thống thông tin giải quyết TTHC thành phố"
MINISTRY_SOURCE = "Hệ thống thông tin giải quyết TTHC của các bộ"
# A request imports at most this many rows (about five seconds); larger files go through
# `manage.py import_dossiers`, which has no bound.
MAX_REQUEST_ROWS = 20_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Rows per INSERT: 20 parameters each stays under SQLite's 32,766 and keeps statements small.
BATCH_SIZE = 1_000
# Shown in a refusal; the rest are counted.
MAX_ERRORS_SHOWN = 50


class ImportRefused(Exception):
    """The file was not imported; `errors` says why, row by row where it can."""

    def __init__(self, errors: list[str], *, total: int | None = None) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
        self.total = len(errors) if total is None else total


def clean_source(source_system: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", source_system or "").split())
    if not text:
        raise ImportRefused(["Vui lòng nhập tên hệ thống nguồn của danh sách hồ sơ."])
    if len(text) > 200 or "\x00" in text:
        raise ImportRefused(["Tên hệ thống nguồn dài quá 200 ký tự hoặc có ký tự không hợp lệ."])
    return text


def default_kind(source_system: str) -> SourceKind:
    return SourceKind.CITY if source_system == CITY_SOURCE else SourceKind.MINISTRY


def saved_mapping(commune: Commune, source_system: str) -> dict[str, str] | None:
    row = ColumnMapping.objects.filter(commune=commune, source_system=source_system).first()
    return dict(row.columns) if row is not None else None


def mapping_for(commune: Commune, source_system: str, table: reading.Table) -> dict[str, str] | None:
    """The saved mapping if the file still has its headers, else the documented headers if they
    cover every required column; None when the officer has to match the columns."""
    saved = saved_mapping(commune, source_system)
    if saved is not None and reading.usable_mapping(saved, table.headers):
        return saved
    automatic = reading.automatic_mapping(table.headers)
    if reading.usable_mapping(automatic, table.headers):
        return automatic
    return None


def mapping_choices(commune: Commune, source_system: str, table: reading.Table) -> dict[str, str]:
    """What the matching step pre-selects: the saved choices whose headers the file still has,
    then the documented or commonly used headers."""
    saved = saved_mapping(commune, source_system) or {}
    kept = {name: header for name, header in saved.items() if header in table.headers}
    return reading.suggested_mapping(table.headers) | kept


def save_mapping(*, commune: Commune, source_system: str, mapping: Mapping[str, str], headers: tuple[str, ...]) -> None:
    errors = reading.mapping_errors(mapping, headers)
    if errors:
        raise ImportRefused(errors)
    columns = {name: header for name, header in mapping.items() if header and name in reading.COLUMN_BY_NAME}
    ColumnMapping.objects.update_or_create(commune=commune, source_system=source_system, defaults={"columns": columns})


def import_dossiers(
    *,
    commune: Commune,
    data: bytes,
    file_name: str,
    source_system: str,
    source_kind: str | None = None,
    mapping: Mapping[str, str] | None = None,
    by: User | None,
    max_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> DossierImport:
    """Import every row of the file or none: refused with each bad row's number, column and reason.

    A dossier already imported from the same source system (same code) is updated, never
    duplicated. `mapping` (field → header) defaults to the saved or documented one.
    """
    source_system = clean_source(source_system)
    kind = SourceKind(source_kind) if source_kind else default_kind(source_system)
    try:
        table = reading.read_table(data, file_name, max_rows=max_rows)
    except reading.FileRefused as error:
        raise ImportRefused([str(error)]) from None
    if mapping is None:
        mapping = mapping_for(commune, source_system, table)
        if mapping is None:
            missing = [reading.COLUMN_BY_NAME[name].header for name in reading.REQUIRED_NAMES]
            raise ImportRefused(
                ["Tệp thiếu cột bắt buộc hoặc tiêu đề cột khác mẫu; cần ghép cột: " + ", ".join(missing) + "."]
            )
    problems = reading.mapping_errors(mapping, table.headers)
    if problems:
        raise ImportRefused(problems)
    parsed, errors = reading.parse_rows(table, mapping, progress)
    if errors:
        shown = [str(error) for error in errors[:MAX_ERRORS_SHOWN]]
        raise ImportRefused(shown, total=len(errors))
    if not parsed:
        raise ImportRefused(["Tệp không có hồ sơ nào."])
    return _store(commune, source_system, kind, parsed, file_name=file_name, data=data, by=by)


@transaction.atomic
def _store(
    commune: Commune,
    source_system: str,
    kind: SourceKind,
    parsed: list[reading.ParsedRow],
    *,
    file_name: str,
    data: bytes,
    by: User | None,
) -> DossierImport:
    existing = set(Dossier.objects.filter(commune=commune, source_system=source_system).values_list("code", flat=True))
    created = sum(1 for row in parsed if row.values["code"] not in existing)
    record = DossierImport.objects.create(
        commune=commune,
        source_system=source_system,
        source_kind=kind,
        file_name=unicodedata.normalize("NFC", file_name)[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(parsed),
        created=created,
        updated=len(parsed) - created,
        imported_by=by,
    )
    _upsert(commune, source_system, kind, record, parsed)
    return record


def _upsert(
    commune: Commune, source_system: str, kind: SourceKind, record: DossierImport, parsed: list[reading.ParsedRow]
) -> None:
    """INSERT ... ON CONFLICT (commune, source_system, code) DO UPDATE: on PostgreSQL from a COPY,
    elsewhere (SQLite) one multi-row statement per batch.

    Written as SQL rather than bulk_create(update_conflicts=True) because building 100,000 model
    instances and compiling them took more than half of a large import (bench/dossiers_bench.py).
    """
    # Plain fields are stored under their own names, foreign keys with "_id".
    columns = ["commune_id", "source_system", "source_kind", "code", *reading.DATA_FIELDS, "last_import_id"]
    updated = [column for column in columns if column not in ("commune_id", "source_system", "code")]
    quote = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Only the model's own table and column names go into the text; every value is a parameter.
    insert_into = f"INSERT INTO {quote(Dossier._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    head = f"{insert_into} VALUES "
    tail = (
        f" ON CONFLICT ({quote('commune_id')}, {quote('source_system')}, {quote('code')}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in updated)
    )
    fixed_head = (commune.pk, source_system, str(kind))
    rows = (
        (*fixed_head, row.values["code"], *(row.values[n] for n in reading.DATA_FIELDS), record.pk) for row in parsed
    )
    if connection.vendor == "postgresql":
        _copy_upsert(columns, insert_into, tail, rows)
        return
    datetimes = {
        i
        for i, name in enumerate(columns)
        if name in reading.DATA_FIELDS and reading.COLUMN_BY_NAME[name].kind in reading.MOMENT_KINDS
    }
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        batch: list[Any] = []
        count = 0
        for row in rows:
            batch += [adapt(value) if i in datetimes else value for i, value in enumerate(row)]
            count += 1
            if count == BATCH_SIZE:
                cursor.execute(head + ", ".join([row_sql] * count) + tail, batch)
                batch, count = [], 0
        if count:
            cursor.execute(head + ", ".join([row_sql] * count) + tail, batch)


def _copy_upsert(columns: list[str], insert_into: str, tail: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then one INSERT ... SELECT ... ON CONFLICT.
    COPY sends 100,000 rows several times faster than multi-row INSERT statements."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    table = quote(Dossier._meta.db_table)
    with connection.cursor() as cursor:
        # Dropped at commit; dropped first too, since a test's transaction never commits.
        cursor.execute("DROP TABLE IF EXISTS dossier_upload")
        create = f"CREATE TEMPORARY TABLE dossier_upload ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608 (model names only)
        cursor.execute(create)
        with cursor.cursor.copy(f"COPY dossier_upload ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"{insert_into} SELECT {names} FROM dossier_upload{tail}")  # noqa: S608 (model names only)


def refusal_messages(error: ImportRefused | ValidationError) -> list[str]:
    if isinstance(error, ImportRefused):
        messages = list(error.errors)
        if error.total > len(messages):
            messages.append(f"… và {error.total - len(messages)} lỗi khác. Không hồ sơ nào được lưu.")
        else:
            messages.append("Không hồ sơ nào được lưu.")
        return messages
    return list(error.messages)


def mapping_from_post(data: Mapping[str, Any]) -> dict[str, str]:
    return {column.name: str(data.get(f"map_{column.name}", "")).strip() for column in reading.COLUMNS}


@transaction.atomic
def import_with_mapping(
    *,
    commune: Commune,
    data: bytes,
    file_name: str,
    source_system: str,
    source_kind: str | None,
    mapping: Mapping[str, str],
    by: User | None,
    max_rows: int | None = None,
) -> DossierImport:
    """Save the officer's column matching for the source system and import with it; a refused
    import keeps neither the mapping nor any dossier."""
    source_system = clean_source(source_system)
    try:
        table = reading.read_table(data, file_name, max_rows=max_rows)
    except reading.FileRefused as error:
        raise ImportRefused([str(error)]) from None
    save_mapping(commune=commune, source_system=source_system, mapping=mapping, headers=table.headers)
    return import_dossiers(
        commune=commune,
        data=data,
        file_name=file_name,
        source_system=source_system,
        source_kind=source_kind,
        mapping={name: header for name, header in mapping.items() if header},
        by=by,
        max_rows=max_rows,
    )


# --- Background imports (files over the page's bound) --------------------------------------------


@transaction.atomic
def queue_import(
    *, commune: Commune, data: bytes, file_name: str, source_system: str, source_kind: str | None, by: User | None
) -> DossierImportJob:
    """Keep the file and queue its import for the background worker (once this transaction commits)."""
    from dossiers.tasks import run_dossier_import

    source_system = clean_source(source_system)
    job = DossierImportJob.objects.create(
        commune=commune,
        source_system=source_system,
        source_kind=SourceKind(source_kind) if source_kind else default_kind(source_system),
        file_name=unicodedata.normalize("NFC", file_name)[:255],
        token=staging.stage(commune.pk, data),
        requested_by=by,
    )
    transaction.on_commit(lambda: run_dossier_import.enqueue(job.pk))
    return job


def run_import_job(job_id: int) -> str:
    """The task's body: claim the queued job, import with progress, record the outcome."""
    if not DossierImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING):
        return "skipped"
    job = DossierImportJob.objects.select_related("commune", "requested_by").get(pk=job_id)
    data = staging.staged(job.commune_id, job.token)
    if data is None:
        return _finish(job, errors=["Tệp đã tải lên không còn trên máy chủ; vui lòng tải lại tệp."])
    try:
        total = len(reading.read_table(data, job.file_name).rows)
    except reading.FileRefused as error:
        return _finish(job, errors=[str(error)])
    DossierImportJob.objects.filter(pk=job_id).update(total=total)

    def progress(done: int) -> None:
        DossierImportJob.objects.filter(pk=job_id).update(done=done)

    try:
        record = import_dossiers(
            commune=job.commune,
            data=data,
            file_name=job.file_name,
            source_system=job.source_system,
            source_kind=job.source_kind,
            by=job.requested_by,
            progress=progress,
        )
    except ImportRefused as error:
        return _finish(job, errors=refusal_messages(error))
    staging.discard(job.commune_id, job.token)
    return _finish(job, result=record, done=total)


def _finish(
    job: DossierImportJob, *, errors: list[str] | None = None, result: DossierImport | None = None, done: int = 0
) -> str:
    status = JobStatus.FAILED if errors else JobStatus.DONE
    fields: dict[str, Any] = {"status": status, "errors": errors or [], "result": result, "finished_at": timezone.now()}
    if done:
        fields["done"] = done
    DossierImportJob.objects.filter(pk=job.pk).update(**fields)
    return str(status)
