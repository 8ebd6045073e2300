"""The web pages: Django templates over the pure libraries, in English and Spanish.

No rule logic lives here: every answer comes from ``eo152.services``
(:func:`eo152.services.decisions.decide_payload`), the calls the CLI and the HTTP API make too.
"""
