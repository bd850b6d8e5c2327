"""Errors a user can fix (bad input, flags, paths, credentials).

`imi` prints them as one line without a traceback and exits with status 2.
"""


class UserError(Exception):
    """An error caused by input or configuration."""
