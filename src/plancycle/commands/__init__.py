"""The subcommands of the ``plancycle`` CLI, one module each.

Every public module here defines ``register(commands)``, which adds its subparser(s) to the
argparse sub-parsers object and sets ``handler`` (``(argparse.Namespace) -> int``) as a default.
:mod:`plancycle.cli` discovers the modules; adding a command needs no change elsewhere. Handlers
raise :class:`~plancycle.errors.PlanCycleError` for bad input; the CLI turns it into one line on
stderr and exit code 2.
"""
