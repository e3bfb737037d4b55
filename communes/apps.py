from django.apps import AppConfig


class CommunesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "communes"
    verbose_name = "Đơn vị hành chính và người dùng"

    def ready(self) -> None:
        # Registers the system checks and the structured log of failed logins.
        from communes import checks, logs  # noqa: F401
