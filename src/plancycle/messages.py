"""A text to be shown later in the user's language: a label key and its fields, as data.

Notes of a simulation and the parts of an error (an event described, an operating system's
reason) are kept as a :class:`Message`, so they can be saved and read back, and shown in bokmål,
nynorsk or English when they are shown (:meth:`Message.in_language`); ``str()`` is English.
"""

from __future__ import annotations

import errno

from pydantic import BaseModel, ConfigDict

from plancycle.i18n import Language, check_language, label
from plancycle.reading import FileTooBig, NotRegularFile

__all__ = ["Message", "msg", "os_reason"]


class Message(BaseModel):
    """The label ``key`` with ``fields``; a field that is itself a :class:`Message` is shown in
    the same language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    fields: dict[str, Message | str | int] = {}

    def in_language(self, lang: str) -> str:
        language: Language = check_language(lang)
        values = {name: value.in_language(language) if isinstance(value, Message) else value
                  for name, value in self.fields.items()}
        return label(self.key, language, **values)

    def __str__(self) -> str:
        return self.in_language("en")


def msg(key: str, **fields: Message | str | int) -> Message:
    """``Message(key=key, fields=fields)``, shorter."""
    return Message(key=key, fields=fields)


#: The reasons of a failed file operation a user meets, by errno, with their label.
_OS_REASONS = {
    errno.ENOENT: "os_reason_enoent", errno.EACCES: "os_reason_eacces",
    errno.EPERM: "os_reason_eacces", errno.EISDIR: "os_reason_eisdir",
    errno.ENOTDIR: "os_reason_enotdir", errno.ENOSPC: "os_reason_enospc",
    errno.EROFS: "os_reason_erofs", errno.EFBIG: "os_reason_efbig",
    errno.ELOOP: "os_reason_eloop", errno.ENAMETOOLONG: "os_reason_enametoolong",
}


def os_reason(exc: BaseException) -> Message | str:
    """Why a file operation failed, in the user's language where the errno is a common one;
    else the system's own words."""
    if isinstance(exc, FileTooBig):
        return msg("os_reason_too_big", limit=exc.limit)
    if isinstance(exc, NotRegularFile):
        return msg("os_reason_not_regular")
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return msg(_OS_REASONS[exc.errno])
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
