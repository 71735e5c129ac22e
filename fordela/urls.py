from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from fordela.access.views import admin_login

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own: its login follows FORDELA_PASSWORD_LOGIN.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("fordela.core.urls")),
    path("", include("fordela.programmes.urls")),
    path("", include("fordela.allocation.urls")),
    path("", include("fordela.access.urls")),
    path("", include("fordela.requisitions.urls")),
    path("", include("fordela.payments.urls")),
    path("", include("fordela.applications.urls")),
    path("", include("fordela.reports.urls")),
    path("", include("fordela.recovery.urls")),
    path("", include("fordela.reporting.urls")),
    path("", include("fordela.regional.urls")),
    path("", include("fordela.library.urls")),
    path("", include("fordela.events.urls")),
    path("api/", include("fordela.api.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
]

# 403, 404 and 500 are Django's handlers with templates/403.html, 404.html, 500.html.
handler400 = "fordela.core.views.bad_request"

if getattr(settings, "BENCHMARK_ENDPOINTS", False):
    urlpatterns += [path("_bench/", include("fordela.bench.urls"))]
