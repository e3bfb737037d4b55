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
    """The account's role and scope. City administrators give only the roles access.MANAGED_ROLES
    lists, within their own province; every account they create must have one."""

    model = Membership
    can_delete = False
    autocomplete_fields = ["commune", "province"]
    verbose_name_plural = "vai trò"

    def get_min_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 0 if access.is_superuser(request.user) else 1

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # An account a city administrator creates without a role would be out of their reach at once.
        kwargs.setdefault("validate_min", not access.is_superuser(request.user))
        return super().get_formset(request, obj, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or access.is_city_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) or access.is_city_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) or access.is_city_admin(request.user)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not access.is_superuser(request.user):
            kwargs["choices"] = [(role.value, role.label) for role in access.MANAGED_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The choices bound what the form accepts, so another province's commune is refused on save.
        if db_field.name == "commune":
            kwargs["queryset"] = access.assignable_communes(request.user)
        elif db_field.name == "province":
            kwargs["queryset"] = access.administered_provinces(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


User = get_user_model()
admin.site.unregister(User)

PERSONAL_FIELDS = ("first_name", "last_name", "email")


@admin.register(User)
class UserWithMembershipAdmin(UserAdmin[Any]):
    """Superusers manage every account; a city administrator creates, edits, resets the password
    of and deactivates the accounts of their own province's commune staff and reviewers
    (access.managed_accounts), never deleting them, so their history keeps its authors."""

    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "role", "scope", "is_active"]
    list_select_related = ["membership__commune", "membership__province"]
    list_filter = ["membership__role", "is_active", "is_superuser"]
    actions = ["deactivate_accounts", "activate_accounts"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if access.is_superuser(request.user):
            return queryset
        return queryset.filter(pk__in=access.managed_accounts(request.user).values("pk"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or access.is_city_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or self._manages(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) or access.is_city_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) or self._manages(request, obj)

    def _manages(self, request: HttpRequest, obj: Any) -> bool:
        if not access.is_city_admin(request.user):
            return False
        return obj is None or access.can_manage_account(request.user, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if access.is_superuser(request.user):
            return super().get_fieldsets(request, obj)
        # City administrators never see the staff, superuser or permission switches.
        if obj is None:
            return [
                (None, {"fields": ("username", "usable_password", "password1", "password2")}),
                ("Thông tin cá nhân", {"fields": PERSONAL_FIELDS}),
            ]
        return [
            (None, {"fields": ("username", "password")}),
            ("Thông tin cá nhân", {"fields": PERSONAL_FIELDS}),
            ("Trạng thái", {"fields": ("is_active",)}),
        ]

    def get_list_filter(self, request: HttpRequest) -> Any:
        if access.is_superuser(request.user):
            return self.list_filter
        return ["membership__role", "is_active"]

    @admin.action(description="Khóa các tài khoản đã chọn")
    def deactivate_accounts(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(request, f"Đã khóa {count} tài khoản.")

    @admin.action(description="Mở khóa các tài khoản đã chọn")
    def activate_accounts(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = queryset.update(is_active=True)
        self.message_user(request, f"Đã mở khóa {count} tài khoản.")

    @admin.display(description="họ và tên")
    def full_name(self, user: Any) -> str:
        return str(user.get_full_name())

    @admin.display(description="vai trò")
    def role(self, user: Any) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"

    @admin.display(description="phạm vi")
    def scope(self, user: Any) -> str:
        membership = getattr(user, "membership", None)
        if membership is None:
            return "—"
        return str(membership.commune or membership.province)
