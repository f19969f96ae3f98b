"""The `callcheck` command's entry point: the collector waits until the app has drawn.

Starting the app allocates some hundred thousand long-lived objects (modules,
classes, styles, widgets); the cyclic garbage collector would walk them again
and again before the first frame while finding nothing to free. So the
collector is off until then: the app moves everything made so far out of its
reach (`gc.freeze`) and turns it back on once home is on screen
(`CallcheckApp`), and every other command turns it on as soon as its
arguments are read (`cli.main`).
"""

from __future__ import annotations

import gc


def main() -> int:
    gc.disable()
    try:
        from .cli import main as cli_main

        return cli_main()
    finally:
        collect_again()


def collect_again() -> None:
    """Turn the collector back on (if it was off), leaving what exists so far out of its walks."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
