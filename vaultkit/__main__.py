"""Allow ``python -m vaultkit``, which benchmarks and tests use to run the real CLI."""

from vaultkit.cli import main

main()
