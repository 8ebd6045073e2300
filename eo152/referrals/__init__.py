"""Referrals of potential felonies to the Denver District Attorney or the Colorado Attorney
General: a fixed snapshot of the case, signed off by a second person, sent, and exported as
a packet anyone can check offline (BagIt, an accessible PDF, JSON, ledger proofs)."""
