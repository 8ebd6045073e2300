"""The HTTP API under ``/api/v1/``: decisions for other City systems, the policy, the schema.

A thin shell over ``eo152.services``, the calls the CLI and the pages make too
(:func:`eo152.services.decisions.decide_payload` for a decision). Errors are RFC 9457
problem documents with an ``errors`` list of ``{path, message}``.
"""
