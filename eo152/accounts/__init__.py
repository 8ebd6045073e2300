"""Accounts: people who sign in, their roles (CONTRACT.md's "People, actors and accounts"),
API tokens, and every permission, decided in one place (:mod:`eo152.accounts.rules`)."""
