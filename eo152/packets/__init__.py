"""Referral packets checked offline: no Django, no database, no network.

Only the standard library, ``bagit``, ``pypdf``, ``rfc8785``, ``cryptography`` and the
ledger's offline checks are imported, so a prosecutor or a defense lawyer can run
``eo152 packet verify`` on a machine that has never seen the City's servers. See
``docs/packets.md``.
"""
