#!/usr/bin/env bash
# Nightly backup: the database (pg_dump, custom format) and the media folder (signed scans), both
# stamped with the same time, kept for KEEP_DAYS days. Restore: docs/deploy.md "Restore".
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must be set}"
BACKUP_DIR="${BACKUP_DIR:-/srv/tthc/backups}"
MEDIA_DIR="${MEDIA_DIR:-${DJANGO_MEDIA_ROOT:-/srv/tthc/media}}"
KEEP_DAYS="${KEEP_DAYS:-30}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
# Database first: a scan uploaded between the two steps then has its file in the media archive
# but no row, which is harmless; the other order could leave a row without its file (409).
pg_dump --format=custom --file "$BACKUP_DIR/tthc-$stamp.dump.partial" "$DATABASE_URL"
mv "$BACKUP_DIR/tthc-$stamp.dump.partial" "$BACKUP_DIR/tthc-$stamp.dump"
tar -C "$(dirname "$MEDIA_DIR")" -czf "$BACKUP_DIR/media-$stamp.tar.gz.partial" "$(basename "$MEDIA_DIR")"
mv "$BACKUP_DIR/media-$stamp.tar.gz.partial" "$BACKUP_DIR/media-$stamp.tar.gz"
find "$BACKUP_DIR" -name 'tthc-*.dump' -mtime +"$KEEP_DAYS" -delete
find "$BACKUP_DIR" -name 'media-*.tar.gz' -mtime +"$KEEP_DAYS" -delete
echo "event=backup_done stamp=$stamp dir=$BACKUP_DIR"
