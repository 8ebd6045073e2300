"""The web pages: Django templates over the pure libraries, in English and Spanish.

No rule logic lives here: every answer comes from :func:`eo152.service.decide_payload`, the
call the CLI and the HTTP API make too.
"""
