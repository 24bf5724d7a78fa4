from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from two_factor import views as two_factor_views
from two_factor.admin import AdminSiteOTPRequired

from accounts.views import LoginView, set_language

from . import health

# The admin asks for the same verified second factor as the rest of the site; its login page
# sends to ours.
admin.site.__class__ = AdminSiteOTPRequired
admin.site.site_header = "Inburgering Westfriesland — beheer"
admin.site.site_title = "Inburgering Westfriesland"

# django-two-factor-auth's own pages, without its profile and "disable" pages: the second factor
# is not optional. A beheerder resets a user's devices in the admin.
two_factor_urls = [
    path("instellen/", two_factor_views.SetupView.as_view(), name="setup"),
    path("instellen/qr/", two_factor_views.QRGeneratorView.as_view(), name="qr"),
    path("instellen/klaar/", two_factor_views.SetupCompleteView.as_view(), name="setup_complete"),
    path("herstelcodes/", two_factor_views.BackupTokensView.as_view(), name="backup_tokens"),
]
SWAGGER_CDN = ["https://cdn.jsdelivr.net"]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/", include((two_factor_urls, "two_factor"))),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start script as a file, so no inline script is needed.
    path(
        "api/docs/",
        csp_update({"script-src": SWAGGER_CDN, "style-src": SWAGGER_CDN, "img-src": SWAGGER_CDN})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("api/v1/", include("westfriesland.api_urls")),
    path("inburgeraars/import/", include("duo_import.urls")),
    path("", include("intake.urls")),
    path("", include("pip_plans.urls")),
    path("", include("letters.urls")),
    path("", include("documents.urls")),
    path("", include("werksaam_bridge.urls")),
    path("", include("uitvoering.urls")),
    path("", include("reporting.urls")),
    path("", include("privacy.urls")),
    path("", include("deadlines.urls")),
    # Last: the dossier shell, whose "inburgeraars/<pk>/<tab>/" takes any registered tab.
    path("", include("cases.urls")),
]

# No static(MEDIA_URL) in any mode: files (letters, PDFs) are served only by the audited download
# views, which check access through the one door.
