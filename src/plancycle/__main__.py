# PYTHON_ARGCOMPLETE_OK
"""``python -m plancycle``: the same as the ``plancycle`` command."""

from plancycle.cli import main

main()
