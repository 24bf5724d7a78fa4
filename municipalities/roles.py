"""The Django admin permissions that go with the staff roles.

A beheerder manages organisations, users, memberships, per-case grants and reference data; an
auditor only reads the audit trail. The groups are kept in step after every migrate, so the
permissions live in code, not in a hand-edited database.
"""

from django.contrib.auth.models import Group, Permission

from .models import Role

STAFF_ROLE_GROUPS = {
    Role.BEHEERDER: "Functioneel beheerders",
    Role.AUDITOR: "Auditors",
}

STAFF_ROLE_PERMISSIONS = {
    Role.BEHEERDER: [
        ("municipalities", "organisation", ("view", "change")),
        ("municipalities", "membership", ("view", "add", "change", "delete")),
        ("accounts", "user", ("view", "add", "change")),
        ("cases", "inburgeraar", ("view", "change")),
        ("cases", "householdlink", ("view", "add", "change", "delete")),
        ("intake", "intaketopic", ("view", "add", "change", "delete")),
        ("cases", "inburgeraaruserobjectpermission", ("view", "add", "change", "delete")),
        ("cases", "inburgeraargroupobjectpermission", ("view", "add", "change", "delete")),
        ("audit", "auditentry", ("view",)),
        ("duo_import", "importbatch", ("view",)),
        ("deadlines", "reminderpolicy", ("view", "add", "change", "delete")),
        ("deadlines", "municipalitydeadlinesettings", ("view", "add", "change", "delete")),
        ("pip_plans", "languageschool", ("view", "add", "change")),
        ("pip_plans", "pip", ("view",)),
        ("pip_plans", "pipversion", ("view",)),
        # Lifting a login lockout early (django-axes): delete the attempt.
        ("axes", "accessattempt", ("view", "delete")),
        ("uitvoering", "verzuimthreshold", ("view", "add", "change", "delete")),
        ("uitvoering", "enrolment", ("view",)),
        ("uitvoering", "attendance", ("view",)),
        ("uitvoering", "progressreview", ("view",)),
        ("uitvoering", "examresult", ("view",)),
        ("uitvoering", "afronding", ("view",)),
        ("letters", "letterhead", ("view", "add", "change")),
        ("letters", "letter", ("view",)),
        ("letters", "bezwaar", ("view",)),
        ("documents", "document", ("view",)),
        # Retention: place or lift a legal hold (audited), see what retention did.
        ("privacy", "legalhold", ("view", "add", "delete")),
        ("privacy", "anonymisation", ("view",)),
    ],
    Role.AUDITOR: [("audit", "auditentry", ("view",))],
}


def sync_role_groups(**kwargs) -> None:
    for role, group_name in STAFF_ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for app_label, model, actions in STAFF_ROLE_PERMISSIONS[role]:
            codenames = [f"{action}_{model}" for action in actions]
            permissions += list(
                Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
        group.permissions.set(permissions)


def role_group(role: str) -> Group | None:
    name = STAFF_ROLE_GROUPS.get(role)
    return Group.objects.get_or_create(name=name)[0] if name else None
