"""numba's compiled code is cached in a folder named by a digest of the model's source (numba
checks only the loaded function's own file), and only the four latest folders are kept."""

from __future__ import annotations

import os
import time

import sim


def test_the_cache_folder_is_named_by_the_source_and_old_ones_go(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSIM_NUMBA_CACHE", str(tmp_path))
    stale = []
    for i in range(6):  # folders of other versions of the code, the oldest first
        old = tmp_path / f"{i:016x}"
        old.mkdir()
        os.utime(old, (time.time() - 1000 + i, time.time() - 1000 + i))
        stale.append(old)
    folder = sim._numba_cache_dir()
    assert folder == sim._numba_cache_dir()  # the same source, the same folder
    assert os.path.dirname(folder) == str(tmp_path) and len(os.path.basename(folder)) == 16
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted([os.path.basename(folder), *(p.name for p in stale[-3:])])


def test_this_process_uses_the_tests_own_folder():
    assert os.environ["NUMBA_CACHE_DIR"].startswith(os.environ["GOVSIM_NUMBA_CACHE"])


def test_an_edit_to_any_source_file_names_another_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSIM_NUMBA_CACHE", str(tmp_path / "cache"))
    code = tmp_path / "code"
    (code / "stages").mkdir(parents=True)
    (code / "passes.py").write_text("def f():\n    return 1\n")
    (code / "stages" / "race.py").write_text("from passes import f\n")
    before = sim._numba_cache_dir(code)
    (code / "passes.py").write_text("def f():\n    return 2\n")  # a callee, not the caller
    sim.source_digest.cache_clear()  # as a process started after the edit
    after = sim._numba_cache_dir(code)
    assert before != after and os.path.basename(after) == sim.source_digest(code)[:16]
