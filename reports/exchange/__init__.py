"""JSON exchange of reports (format "bao-cao-cchc", described in docs/report-format.md).

Export writes everything a report holds, with its regime and outline, so the file imports into a
freshly migrated database. Import checks the schema, then the content door and the business and
hard rules, and writes nothing unless the whole file passes. Stored submissions and versions are
snapshots in this format: a format change comes with a data migration.
"""

from reports.exchange.export import ANY_SLUG_HINT, export_report_data, find_report
from reports.exchange.importer import ensure_regime, import_report_data
from reports.exchange.schema import (
    FORMAT,
    FORMAT_VERSION,
    SCHEMA_PATH,
    ImportProblems,
    Problem,
    ReportLookupError,
    dump_report_json,
    json_path,
    parse_report_json,
    read_report_file,
    schema_problems,
)

__all__ = [
    "ANY_SLUG_HINT",
    "FORMAT",
    "FORMAT_VERSION",
    "SCHEMA_PATH",
    "ImportProblems",
    "Problem",
    "ReportLookupError",
    "dump_report_json",
    "ensure_regime",
    "export_report_data",
    "find_report",
    "import_report_data",
    "json_path",
    "parse_report_json",
    "read_report_file",
    "schema_problems",
]
