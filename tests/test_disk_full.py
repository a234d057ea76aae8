"""A full disk (issue 14, case 1): `add` fails with one line and exit 2, and the file is byte for byte
as before; injected ENOSPC at every byte, a file-size limit, and a real full tmpfs when root."""

import errno
import os
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app
from kpitrack.domain.errors import KpitrackError
from kpitrack.domain.model import Entry
from kpitrack.files.workspace import load_target
from kpitrack.writing.write import append_entry

runner = CliRunner()
NOTE = "synthetic: a long note so that the block is long " * 4


def failing_write(monkeypatch, allowed: int):
    """os.write that writes `allowed` bytes in all, then fails as a full disk does."""
    real, left = os.write, [allowed]

    def write_some(fd, data):
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        count = real(fd, bytes(data[:left[0]]))
        left[0] -= count
        return count

    monkeypatch.setattr(os, "write", write_some)


def test_a_full_disk_leaves_the_file_byte_identical_and_exits_2(tmp_path, monkeypatch):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    before = path.read_bytes()
    failing_write(monkeypatch, 17)
    result = runner.invoke(app, ["--dir", str(tmp_path), "add", "firms", "2600", "--date", "2023-06-30",
                                 "--note", NOTE])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.stderr and "the file is unchanged" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.slow
def test_enospc_at_every_byte_loses_and_falsifies_nothing(tmp_path, monkeypatch):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    lost = wrong = 0
    for number in range(160):
        before = path.read_bytes()
        failing_write(monkeypatch, number)
        try:
            append_entry(path, tmp_path, Entry(date(2023, 6, 30), Decimal(number), note=NOTE))
            failed = False
        except KpitrackError:
            failed = True
        monkeypatch.undo()
        after = path.read_bytes()
        if failed and after != before:
            wrong += 1
        if not failed and load_target(path, tmp_path).entries[-1].value != number:
            lost += 1
        path.write_bytes(before)
    print(f"160 full disks: {lost} lost, {wrong} wrong")
    assert (lost, wrong) == (0, 0)


def add_in_child(workspace, limit, note=NOTE):
    import resource

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "kpitrack", "--dir", str(workspace), "add", "firms", "2600",
                           "--date", "2023-06-30", "--note", note],
                          capture_output=True, text=True, preexec_fn=limited, timeout=60)


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX-only")
def test_a_file_size_limit_is_a_clear_error_and_no_change(tmp_path):
    path = write(tmp_path / "firms.toml", TARGET_TOML)
    before = path.read_bytes()
    result = add_in_child(tmp_path, len(before) + 40)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "File too large" in result.stderr
    assert path.read_bytes() == before


def mounted_tmpfs(folder):
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a real tmpfs needs Linux and root")
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")


@pytest.mark.slow
def test_a_really_full_tmpfs_loses_and_falsifies_nothing(tmp_path):
    disk = tmp_path / "small"
    mounted_tmpfs(disk)
    try:
        path = write(disk / "firms.toml", TARGET_TOML + "#" * (4096 - len(TARGET_TOML) - 61) + "\n")  # 60 bytes left in its last page
        (disk / ".kpitrack").mkdir()
        filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)  # fill every page left
        try:
            while os.write(filler, b"\0" * 1024):
                pass
        except OSError as error:
            assert error.errno == errno.ENOSPC
        finally:
            os.close(filler)
        before = path.read_bytes()
        lost = wrong = 0
        for number in range(100):
            result = add_in_child(disk, 1 << 30, note=f"{NOTE} {number}")
            if result.returncode != 2 or "Traceback" in result.stderr or "No space left" not in result.stderr:
                lost += 1
            if path.read_bytes() != before:
                wrong += 1
        print(f"100 adds on a full tmpfs: {lost} lost, {wrong} wrong")
        assert (lost, wrong) == (0, 0)
    finally:
        subprocess.run(["umount", str(disk)], check=False)
