"""The language of the command line's own texts: help, usage and the warning prefix.

argparse wants its help texts when the parser is built, before the arguments are parsed, so
:func:`plancycle.cli.run` reads ``--lang`` from the raw arguments first and sets
:data:`CLI_LANGUAGE`; every subcommand takes its texts through :func:`help_text` from the
message catalogue (``[label] help_<key>`` in ``data/texts_*.toml``), in bokmål, nynorsk or
English.
"""

from __future__ import annotations

from contextvars import ContextVar

from plancycle.i18n import Language, label

#: The language of the command line being run (``--lang``, bokmål when not given).
CLI_LANGUAGE: ContextVar[Language] = ContextVar("plancycle_cli_language", default="nb")


def cli_language() -> Language:
    """The language of the command line being run."""
    return CLI_LANGUAGE.get()


def help_text(key: str, **fields: object) -> str:
    """The help text ``help_<key>`` in the command line's language, escaped for argparse
    (which reads ``%`` as a format)."""
    return label(f"help_{key}", CLI_LANGUAGE.get(), **fields).replace("%", "%%")
