"""The store's exceptions: each str() is one line naming the file (or folder) and the reason."""

from __future__ import annotations


class DatabaseError(Exception):
    """A database that cannot be used as asked. str() is one line naming the path and the reason."""


class LockTimeout(DatabaseError):
    """Another process held a lock for too long; the change was NOT written."""


class UnknownClaim(DatabaseError, KeyError):
    """A claim id that is neither in the corpus nor judged before."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "unknown claim"


class DamagedShard(DatabaseError):
    """A judgement shard that exists but is empty, of the wrong shape or holds malformed rows:
    damage (never "not written yet"); nothing is written over it or rotated into its backup."""
