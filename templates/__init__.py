"""Built-in vaultkit templates.

A package only so that `importlib.resources` finds them once installed.
"""
