#!/usr/bin/env bash
# Prepares a machine for `make run` / `make test`: system packages, .venv, Python packages.
# Usage: scripts/setup.sh run|test
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

# System packages: WeasyPrint needs Pango; the PDF needs Liberation 2.x (full Vietnamese, metric-compatible
# with Times New Roman; fonts-liberation 1.07 lacks most Vietnamese letters) and libharfbuzz-subset0.
apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fontconfig)
if [ "$mode" = "test" ]; then
  # Browser journeys drive Debian's Chromium; PDF checks read files back with poppler-utils.
  apt_packages+=(chromium poppler-utils)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Another install (unattended upgrades, a second terminal) may hold apt's locks: wait for it up to
# ten minutes rather than fail at once. `DPkg::Lock::Timeout` covers the dpkg frontend lock of
# `apt-get install`; `apt-get update` takes the lists lock, so it is retried in a loop.
APT_LOCK_WAIT=600
apt_wait() {
  local deadline=$((SECONDS + APT_LOCK_WAIT)) told=0 output
  while true; do
    if output=$("$@" 2>&1); then
      return 0
    fi
    if grep -qiE "could not get lock|unable to lock|is another process using it" <<<"$output" && [ $SECONDS -lt $deadline ]; then
      if [ $told = 0 ]; then
        echo "Một tiến trình khác đang cài gói (apt/dpkg đang bị khóa); chờ tối đa $((APT_LOCK_WAIT / 60)) phút..." >&2
        told=1
      fi
      sleep 5
      continue
    fi
    printf '%s\n' "$output" >&2
    return 1
  done
}
apt_install() {
  local prefix=("$@")
  apt_wait "${prefix[@]}" apt-get -o DPkg::Lock::Timeout=$APT_LOCK_WAIT update -qq
  apt_wait "${prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=$APT_LOCK_WAIT \
    install -y -qq --no-install-recommends "${missing[@]}"
}
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Cài gói hệ thống: ${missing[*]}"
    apt_install
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    echo "Cài gói hệ thống: ${missing[*]}"
    apt_install sudo
  else
    echo "Thiếu gói hệ thống: ${missing[*]}" >&2
    echo "Hãy chạy: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# Python >= 3.12 (Django 6.1 needs it): the first one found on PATH or under pyenv.
find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[3-9]*/bin/python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  python="$(find_python)" || { echo "Cần Python 3.12 trở lên (python3.12 hoặc python3.13)." >&2; exit 1; }
  echo "Tạo môi trường ảo .venv bằng $python"
  rm -rf .venv
  "$python" -m venv .venv
fi

# Reinstall only when requirements.txt changed since the last successful install.
stamp=.venv/.requirements.sha256
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  echo "$want" > "$stamp"
fi
