"""Demo reports: the two real seed reports, imported as data."""


def load_demo_reports() -> str:
    return "chưa có"
