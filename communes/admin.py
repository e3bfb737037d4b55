from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from communes import access
from communes.models import Commune, Membership, Province
from reports.text import clean_form_texts


class CityAdminScopeMixin:
    """Opens a model to city administrators, limited to their own province (access.py decides).

    City administrators hold no model permissions: their role gives them view and change
    rights on their province's rows, never add or delete.
    """

    province_lookup: str

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        provinces = access.administered_provinces(request.user)
        return super().get_queryset(request).filter(**{f"{self.province_lookup}__in": provinces})  # type: ignore[misc,no-any-return]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or access.is_city_admin(request.user)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_view_permission(request, obj) or access.is_city_admin(request.user)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_change_permission(request, obj) or access.is_city_admin(request.user)  # type: ignore[misc]


@admin.register(Province)
class ProvinceAdmin(CityAdminScopeMixin, admin.ModelAdmin[Province]):
    province_lookup = "pk"
    list_display = ["code", "name", "kind"]
    search_fields = ["name"]
    readonly_fields = ["code", "name", "kind"]


class CommuneForm(forms.ModelForm[Commune]):
    class Meta:
        model = Commune
        fields = [
            "header_parent",
            "header_agency",
            "place_name",
            "document_symbol",
            "signer_authority",
            "signer_position",
            "signer_name",
            "recipients",
        ]

    def clean(self) -> dict[str, Any]:
        # What is typed here is printed on every report: NFC (keyboards may send decomposed
        # Vietnamese), and no control character, which would make the DOCX unwritable.
        self.cleaned_data = clean_form_texts(self, super().clean() or {})
        return self.cleaned_data


@admin.register(Commune)
class CommuneAdmin(CityAdminScopeMixin, admin.ModelAdmin[Commune]):
    province_lookup = "province"
    form = CommuneForm
    list_display = ["code", "name", "province", "kind", "signer_name"]
    list_filter = [("province", admin.RelatedOnlyFieldListFilter), "kind"]
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


class MembershipInline(admin.StackedInline[Membership, Any]):
    model = Membership
    can_delete = False
    autocomplete_fields = ["commune", "province"]
    verbose_name_plural = "vai trò"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipAdmin(UserAdmin[Any]):
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
