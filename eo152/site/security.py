"""Security headers every response carries, and secure cookies over HTTPS.

The policy allows scripts, styles, fonts and images from this origin only: no inline
script or style, nothing from elsewhere. Django's SecurityMiddleware sets the rest
(nosniff, referrer policy, HSTS behind HTTPS).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        # The public report's proof-of-work (ALTCHA, served from here) hashes in Web Workers
        # it makes from a blob: of its own code. A blob: URL can only be made by a script
        # already running on this origin, which script-src limits to our own files, so this
        # lets no new code in; workers from anywhere else stay blocked.
        "worker-src 'self' blob:",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self)"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.is_secure():
            # Whatever set a cookie, it never travels over plain HTTP once the site is HTTPS.
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response
