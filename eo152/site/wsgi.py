"""The WSGI application the server (``eo152 serve``) runs.

Each worker loads and compiles the policy (and the deployment's readings) as it starts, so
a malformed readings file stops the server at once, and the first officer to ask does not
wait for the compilation.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from ..services.decisions import engine_for

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eo152.site.settings")
application = get_wsgi_application()
engine_for(settings.EO152_READINGS)
