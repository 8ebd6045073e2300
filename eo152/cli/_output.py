"""Printing for the CLI: results to standard output, problems to standard error."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from rich.console import Console

console = Console()
error_console = Console(stderr=True, soft_wrap=True)  # messages stay one line each


def fail(message: str, status: int = 2) -> NoReturn:
    """Print a problem a user can act on and exit; status 2 means bad input."""
    error_console.print(f"[bold red]eo152:[/] {message}", markup=True, highlight=False)
    raise SystemExit(status)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
    sys.stdout.write("\n")
