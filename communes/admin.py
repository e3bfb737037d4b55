from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from communes.models import Commune, Membership, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    search_fields = ["name"]
    readonly_fields = ["code", "name", "kind"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "kind", "signer_name"]
    list_filter = ["province", "kind"]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "name", "kind", "province"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "province"]}),
        (
            "Thông tin in trên văn bản",
            {
                "fields": [
                    "header_parent",
                    "header_agency",
                    "place_name",
                    "document_symbol",
                    "signer_authority",
                    "signer_position",
                    "signer_name",
                    "recipients",
                ]
            },
        ),
    ]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["commune", "province"]
    verbose_name_plural = "vai trò"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "get_full_name", "email", "role", "scope", "is_active"]
    list_select_related = ["membership__commune", "membership__province"]
    list_filter = ["membership__role", "is_active", "is_superuser"]

    @admin.display(description="vai trò")
    def role(self, user: User) -> str:  # type: ignore[valid-type]
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"

    @admin.display(description="phạm vi")
    def scope(self, user: User) -> str:  # type: ignore[valid-type]
        membership = getattr(user, "membership", None)
        if membership is None:
            return "—"
        return str(membership.commune or membership.province)
