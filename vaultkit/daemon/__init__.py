"""Keeping outputs current: one sync pass, the file watcher that repeats it on
every change, and the background service around the watcher. Builds on
`vaultkit.outputs`; the CLI only wires these to commands.
"""
