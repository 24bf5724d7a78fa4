"""Response headers every answer of the application gets (static files are answered earlier, by
WhiteNoise): no browser features we do not use, and never stored in a cache, since pages, API
answers and exports carry personal data."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        add_never_cache_headers(response)
        response.headers["Cache-Control"] = "no-store, private, max-age=0"
        return response
