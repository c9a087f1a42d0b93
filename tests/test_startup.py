"""`vaultkit --help` must stay instant: it may load click, not the parsing stack."""

from __future__ import annotations

import json
import subprocess
import sys


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys, json\n"
        "from vaultkit.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ['yaml', 'rich', 'networkx', 'icalendar', 'jinja2', 'frontmatter', 'watchdog',"
        " 'holidays']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.splitlines()[-1]) == []
