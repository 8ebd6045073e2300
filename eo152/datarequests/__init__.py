"""The data-request desk: every federal request for City data, decided by the engine,
confirmed by people, and on record in the ledger."""
