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

    A unit named by a number keeps its full name ("Phường 1", "Phường 2 Bảo Lộc"), as
    standards.md §3.3 requires: "1 Bảo Lộc" alone would not say which kind of unit it is.
    """
    short = proper_name(name)
    return official_name(name) if short[:1].isdigit() else short


# The level of the city's or province's public-service centre as its documents name it: the
# 2025 structure has "tỉnh" and "thành phố trung ương" provinces.
PROVINCE_KIND_TINH = "tỉnh"


def province_level(province_kind: str) -> str:
    """ "tỉnh" for a tỉnh, "thành phố" for a centrally-run city (division type from the package)."""
    return "tỉnh" if nfc(province_kind).strip().lower() == PROVINCE_KIND_TINH else "thành phố"


def committee(kind_word: str) -> str:
    """The commune's People's Committee as recipient lists abbreviate it: "UBND phường"."""
    return f"UBND {kind_word}"


def default_recipients(kind_word: str, province_kind: str) -> str:
    """ "Nơi nhận" of a commune report: the centre of its province's level, the commune's leaders,
    and the archive line (standards.md §1, ô 9b)."""
    return "\n".join(
        (
            f"Trung tâm Phục vụ hành chính công {province_level(province_kind)}",
            f"CT, các PCT {committee(kind_word)}",
            "Lưu: VT, TTPVHCC",
        )
    )


# What every commune received before recipients were derived from its kinds; a commune still
# holding it was never edited, so loading may replace it.
LEGACY_RECIPIENTS = "Trung tâm Phục vụ hành chính công thành phố\nCT, các PCT UBND xã\nLưu: VT, TTPVHCC"


def short_province_name(name: str) -> str:
    return strip_prefix(nfc(name), PROVINCE_PREFIXES)


def default_header_lines(name: str) -> str:
    """Agency name block of a UBND xã: no supervising line, then the unit in capitals (standards.md §3.3)."""
    return "ỦY BAN NHÂN DÂN\n" + nfc(name).upper()
