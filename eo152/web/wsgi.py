"""The WSGI application the server (``eo152 serve``) runs."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eo152.web.settings")
application = get_wsgi_application()
