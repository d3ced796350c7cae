"""Project-wide response middleware."""

from zielsteuerung.accounts.security_log import log_event


class SecurityLogMiddleware:
    """Writes every permission denial (HTTP 403, also CSRF failures) to the
    security log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_event("permission_denied", request=request, method=request.method)
        return response


class NoStoreMiddleware:
    """Signed-in pages and downloads are never kept by browsers or proxies:
    ``Cache-Control: no-store`` on every response to a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        return response
