"""Names derived from an official unit name: the document header, the place in the date line."""

from reports.text import nfc

# Official division-type prefixes as they stand at the start of a commune's name.
KIND_PREFIXES = {"xa": "Xã", "phuong": "Phường", "dac_khu": "Đặc khu"}
PROVINCE_PREFIXES = ("Thành phố", "Tỉnh")


def strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    # Case-insensitive: the official list itself has at least one "xã …" in lower case.
    for prefix in prefixes:
        if name[: len(prefix) + 1].lower() == prefix.lower() + " ":
            return name[len(prefix) + 1 :]
    return name


def official_name(name: str) -> str:
    """The name as stored: NFC, single spaces, the unit word capitalised ("xã Bắc Sơn" -> "Xã Bắc Sơn")."""
    name = " ".join(nfc(name).split())
    for prefix in KIND_PREFIXES.values():
        if name[: len(prefix) + 1].lower() == prefix.lower() + " ":
            return prefix + name[len(prefix) :]
    return name


def proper_name(name: str) -> str:
    """ "Xã Hùng Thắng" -> "Hùng Thắng", "Phường 1" -> "1": the name without its unit word."""
    return strip_prefix(nfc(name), tuple(KIND_PREFIXES.values()))


def short_commune_name(name: str) -> str:
    """ "Xã Hùng Thắng" -> "Hùng Thắng": the place name of the date line.

    A unit named by a number keeps its full name ("Phường 1"), as standards.md §3.3 requires.
    """
    short = proper_name(name)
    return nfc(name) if short.isdigit() else short


def short_province_name(name: str) -> str:
    return strip_prefix(nfc(name), PROVINCE_PREFIXES)


def default_header_lines(name: str) -> str:
    """Agency name block of a UBND xã: no supervising line, then the unit in capitals (standards.md §3.3)."""
    return "ỦY BAN NHÂN DÂN\n" + nfc(name).upper()
