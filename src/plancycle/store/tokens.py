"""Bearer tokens: made at random, shown once, stored only as their sha-256 (issue 9: "prints a
new random token once and stores only its hash"; comparisons constant-time)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

#: Every token starts so (a secret scanner can recognise a leaked one).
PREFIX = "plancycle_"
#: Random bytes in a token (256 bits: guessing one is hopeless, so a plain hash suffices).
TOKEN_BYTES = 32
#: A presented token longer than this is refused unhashed.
MAX_TOKEN = 200


def new_token() -> str:
    """A fresh random token (the one place the store draws randomness: a token must be
    unguessable)."""
    return PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str | None:
    """The hex sha-256 of ``token``; None for one that cannot be a token (empty, too long,
    not text)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    try:
        raw = token.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    return hashlib.sha256(raw).hexdigest()


def same_hash(stored: str, presented: str) -> bool:
    """Whether two hashes are equal, in constant time."""
    return hmac.compare_digest(stored.encode("ascii"), presented.encode("ascii"))
