"""One exception hierarchy for user-facing failures, each carrying its exit code.

The CLI maps these to a single line on stderr (never a traceback) in one place,
so library code raises them freely and never prints.

Exit codes: 0 success; 1 the command ran but found errors or could not finish
its job (``check`` with errors, an unreadable config); 2 the request itself was
wrong (no vault found, an unknown name, a bad option value).
"""

from __future__ import annotations


class VaultkitError(Exception):
    """A problem the user can fix; the message is one complete sentence."""

    exit_code = 1


class UsageError(VaultkitError):
    """The command was asked for something that cannot be: bad value, unknown name."""

    exit_code = 2


class VaultNotFoundError(UsageError):
    """No vault given and none found by walking up from the current folder."""


class ConfigError(VaultkitError):
    """`.vaultkit.toml` cannot be read or holds a value of the wrong kind."""


class NameNotFoundError(UsageError):
    """A name given on the command line matches no note."""
