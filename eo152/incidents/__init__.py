"""Incidents: what happened, reported by the public, officers and partner systems; decided by
the engine at intake; its evidence in the ledger; every read and write on the record."""
