"""Errors a user can fix (bad input, flags, paths, credentials, a full disk).

`imi` prints them as one line without a traceback and exits with status 2
(`--debug` or IMI_DEBUG=1 shows the traceback too).
"""

from __future__ import annotations


class UserError(Exception):
    """An error caused by input or configuration."""


def describe_os_error(e: BaseException) -> str | None:
    """One line for the OSErrors that are the environment's doing (disk full, no permission...), or None."""
    import errno

    if not isinstance(e, OSError):
        return None
    where = f" ({e.filename})" if getattr(e, "filename", None) else ""
    return {
        errno.ENOSPC: f"disk full{where}",
        errno.EDQUOT: f"disk quota exceeded{where}",
        errno.EACCES: f"permission denied{where}",
        errno.EPERM: f"operation not permitted{where}",
        errno.EROFS: f"read-only file system{where}",
        errno.ENOTDIR: f"not a directory{where}",
        errno.EISDIR: f"is a directory{where}",
        errno.EEXIST: f"a file is in the way of a directory{where}",
        errno.ENAMETOOLONG: f"file name too long{where}",
        errno.ELOOP: f"too many levels of symbolic links{where}",
        errno.ENOENT: f"no such file or directory{where}",
    }.get(e.errno)


def one_line(e: BaseException) -> str | None:
    """The one-line message for an expected failure, or None for a bug (which keeps its traceback)."""
    if isinstance(e, UserError):
        return str(e)
    if isinstance(e, FileNotFoundError) and e.errno is None:  # raised with a message of ours ("no such object")
        return str(e)
    line = describe_os_error(e)
    if line is not None:
        return line
    if isinstance(e, UnicodeDecodeError):
        return f"not UTF-8 text ({e.reason} at byte {e.start})"
    return None
