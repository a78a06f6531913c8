"""Stores: where a log's records live. Each module holds one kind; ``_base`` the contract."""
