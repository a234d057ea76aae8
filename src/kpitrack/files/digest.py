"""SHA-256 digests as hex: the undo journal's record of what was written, the lock notes' names.

hashlib loads OpenSSL's library when imported (about 3 ms, a tenth of what `kpitrack add` adds to
Python's start); CPython's own SHA-256 gives the same digests without it. A Python built without
it uses hashlib.
"""

try:
    from _sha2 import sha256  # CPython 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:
        from hashlib import sha256


def sha256_hex(data: bytes) -> str:
    return sha256(data).hexdigest()
