"""Reading an input file safely: a regular file only, never more than a limit.

A FIFO would block an ``open`` for reading until a writer comes, and ``/dev/zero`` (or a symlink
to it) never ends, so every file plancycle reads from a user (term files, meeting plans, the feed
register, scenarios and saved runs) goes through :func:`read_regular`: opened without blocking,
checked with ``fstat`` to be a regular file, and read with the size limit counted while reading.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["FileTooBig", "NotRegularFile", "read_regular"]


class NotRegularFile(OSError):
    """The path is a folder, a device, a FIFO or a socket, not a regular file."""


class FileTooBig(OSError):
    """The file has more than ``limit`` bytes: ``size`` is its stated size, or (``counted``) what
    was read of it before the limit stopped the reading."""

    def __init__(self, path: Path | str, size: int, limit: int, *, counted: bool) -> None:
        super().__init__(errno.EFBIG, f"larger than {limit} bytes", str(path))
        self.size = size
        self.limit = limit
        self.counted = counted


def read_regular(path: Path | str, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file ``path`` (at most ``limit``) and its status.

    Raises :class:`NotRegularFile`, :class:`FileTooBig` (without reading more than ``limit`` + 1
    bytes, whatever the file claims its size is), or another :class:`OSError`.
    """
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > limit:
            raise FileTooBig(path, info.st_size, limit, counted=False)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(handle, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FileTooBig(path, size, limit, counted=True)
        return b"".join(chunks), info
    finally:
        os.close(handle)
