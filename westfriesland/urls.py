from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import health

admin.site.site_header = "Inburgering Westfriesland — beheer"
admin.site.site_title = "Inburgering Westfriesland"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("westfriesland.api_urls")),
    path("inburgeraars/import/", include("duo_import.urls")),
    path("", include("intake.urls")),
    path("", include("pip_plans.urls")),
    path("", include("werksaam_bridge.urls")),
    path("", include("uitvoering.urls")),
    path("", include("reporting.urls")),
    path("", include("deadlines.urls")),
    # Last: the dossier shell, whose "inburgeraars/<pk>/<tab>/" takes any registered tab.
    path("", include("cases.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
