"""Tabletop exercises scored by the engine: scenarios as data (``scenarios/*.yaml``), the
players' picks scored against the engine's duties for their role at each inject, and the
after-action report. The pure parts (this package's ``roles``, ``scenario``, ``scoring``
and ``checking``) need no Django; the running exercise lives in ``eo152.exercises`` as a
Django app as well."""
