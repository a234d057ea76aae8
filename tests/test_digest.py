"""kpitrack.files.digest: the SHA-256 of the undo journal and the lock notes, without loading OpenSSL."""

import hashlib
import subprocess
import sys

import pytest

from kpitrack.files.digest import sha256, sha256_hex


@pytest.mark.parametrize("data", [b"", b"abc", "一二三".encode(), bytes(range(256)) * 4099])
def test_the_digests_are_hashlibs(data):
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


@pytest.mark.skipif(sha256 is hashlib.sha256, reason="this Python has no built-in SHA-256: hashlib is used")
def test_it_does_not_import_hashlib():
    done = subprocess.run([sys.executable, "-c", "import sys, kpitrack.files.digest; print('hashlib' in sys.modules)"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
