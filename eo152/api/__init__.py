"""The HTTP API under ``/api/v1/``: decisions for other City systems, the policy, the schema.

A thin shell over :func:`eo152.service.decide_payload`, the same call the CLI and the pages
make. Errors are RFC 9457 problem documents with an ``errors`` list of ``{path, message}``.
"""
