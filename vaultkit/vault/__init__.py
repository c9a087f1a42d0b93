"""The vault: where it is, how it is configured, which files are notes, and how
links between them resolve. Builds on `vaultkit.notes`; knows nothing of
contacts or interviews.
"""
