"""The Django project: settings, root URLs, WSGI, the health check, security headers and the
error handlers. The apps (``eo152.web``, ``eo152.api``, and the records apps to come) sit
beside it as siblings; only the project may import more than one of them."""
