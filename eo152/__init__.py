"""eo152: Denver Executive Order 152 made operational.

The rules engine (:mod:`eo152.rules`) is a pure library; the CLI (:mod:`eo152.cli`) is a thin
shell over it.
"""

__version__ = "0.1.0"
