"""Issue 14, the command line's part: bounded workers and runs, workers that die with their
parent, names over the file system's limit, stdout that cannot be written, ``write_atomic``
that replaces only regular files and leaves nothing behind, and empty values refused.

Every subprocess has a timeout; every wait is bounded; everything happens under ``tmp_path``.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from plancycle import workers
from plancycle.cli import run
from plancycle.commands import publish
from plancycle.errors import InputError
from plancycle.output import write_atomic
from plancycle.simulation.batch import MAX_RUNS, check_workload, with_runs
from plancycle.simulation.files import load_scenario

ROOT = Path(__file__).parents[1]
SCENARIO = ROOT / "examples" / "scenarios" / "late_hearing.toml"
LONG = "n" * 300  # over the 255 bytes a file name may have
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
TIMEOUT = 60


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str) -> str:
    """The one error line of ``err`` (warnings aside); fails on a traceback or a second line."""
    assert "Traceback" not in err and "Exception ignored" not in err, err
    warning = ("plancycle: warning:", "plancycle: advarsel:", "plancycle: åtvaring:")
    errors = [line for line in err.splitlines() if not line.startswith(warning)]
    assert len(errors) == 1 and errors[0].startswith(("plancycle: error: ", "plancycle: feil: ")), err
    return errors[0]


def _subprocess(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "plancycle", *args], timeout=TIMEOUT,
                          check=False, **kwargs)  # type: ignore[call-overload]


# --- 4: bounded workers and runs ----------------------------------------------------------------


def test_too_many_jobs_are_refused_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    code, _, err = _cli(["publish", "--election-year", "2027", "--out-dir", str(out), "--jobs",
                         "100000", "--lang", "en"], capsys)
    line = _one_error_line(err)
    assert code == 2 and "--jobs 100000" in line and f"at most {publish.max_jobs()}" in line
    assert "--force" in line and not out.exists()


def test_the_bound_on_jobs_follows_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "available_cores", lambda: 2)
    assert publish.max_jobs() == 8 and workers.max_jobs(per_core=1) == 2
    monkeypatch.setattr(workers, "available_cores", lambda: 1000)
    assert publish.max_jobs() == publish.MAX_JOBS == 64


def test_forced_jobs_start_no_more_workers_than_there_is_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "owners", lambda: [("k", "4601"), ("f", "46"), ("k", "1103")])
    started: list[int] = []
    pool = publish.ProcessPoolExecutor

    def recording(*args: object, max_workers: int, **kwargs: object) -> object:
        started.append(max_workers)
        return pool(*args, max_workers=max_workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(publish, "ProcessPoolExecutor", recording)
    out = tmp_path / "site"
    assert run(["publish", "--election-year", "2027", "--out-dir", str(out), "--jobs", "5000",
                "--force", "--quiet"]) == 0
    assert started == [3]
    assert sorted(p.name for p in (out / "feeds").rglob("*.ics")) == ["1103.ics", "46.ics",
                                                                       "4601.ics"]


def test_the_bounds_and_force_are_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("publish", "simulate", "compare"):
        with pytest.raises(SystemExit):
            run([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "--force" in text, command
    with pytest.raises(SystemExit):
        run(["publish", "--help"])
    assert "høyst 64" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        run(["publish", "--help", "--lang", "en"])
    assert "at most 64" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_simulate_with_two_million_runs_is_one_line(force: list[str]) -> None:
    proc = _subprocess(["simulate", str(SCENARIO), "--runs", "2000000", "--lang", "en", *force],
                       capture_output=True)
    line = _one_error_line(proc.stderr.decode())
    assert proc.returncode == 2 and proc.stdout == b""
    assert "--runs 2000000 is outside 1–1000000" in line and "pydantic" not in line


@pytest.mark.parametrize(("args", "hint"), [
    (["simulate", str(SCENARIO), "--runs", str(MAX_RUNS + 1)], f"{MAX_RUNS + 1} runs in all"),
    (["compare", "--election-year", "2027", "--runs", "40000"], "120000 runs in all"),
    (["compare", "--election-year", "2027", "--all", "--runs", "100"], "107100 runs in all"),
    (["compare", "--election-year", "2027", "--runs", "2000000", "--force"], "outside 1–1000000"),
])
def test_too_many_runs_are_refused_without_force(capsys: pytest.CaptureFixture[str],
                                                 args: list[str], hint: str) -> None:
    code, out, err = _cli([*args, "--lang", "en", "--quiet"], capsys)
    line = _one_error_line(err)
    assert code == 2 and out == "" and hint in line


def test_force_lifts_the_bound_on_runs_in_all() -> None:
    scenario = with_runs(load_scenario(SCENARIO), MAX_RUNS + 1)
    with pytest.raises(InputError, match="--force"):
        check_workload(scenario, (scenario.model,))
    check_workload(scenario, (scenario.model,), force=True)
    check_workload(with_runs(scenario, MAX_RUNS), (scenario.model,))


@pytest.mark.parametrize("value", ["٢", "²", "1e3", "0x10"])
def test_counts_take_ascii_digits_only(capsys: pytest.CaptureFixture[str], value: str) -> None:
    for args in (["publish", "--election-year", "2027", "--out-dir", "x", "--jobs", value],
                 ["simulate", str(SCENARIO), "--runs", value]):
        code, _, err = _cli([*args, "--lang", "en"], capsys)
        assert code == 2 and "is not a whole number" in _one_error_line(err)


# --- 5: workers die with their parent -----------------------------------------------------------


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid``: their start times (to tell a reused pid)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found[int(entry.name)] = fields[19]
    return found


def _alive(pid: int, started: str) -> bool:
    """Whether ``pid`` is still the process that started at ``started`` and not a zombie."""
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()
    except OSError:
        return False
    return fields[19] == started and fields[0] not in ("Z", "X")


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_publish_leaves_no_worker_running(tmp_path: Path) -> None:
    out = tmp_path / "site"
    proc = subprocess.Popen(
        [sys.executable, "-m", "plancycle", "publish", "--election-year", "2027", "--out-dir",
         str(out), "--jobs", "2", "--quiet", "--alarms", "14,7,1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    workers: dict[int, str] = {}
    try:
        def working() -> bool:
            workers.update(_children(proc.pid))
            return len(workers) >= 2 and any((out / "feeds").rglob("*.ics"))

        assert _wait_for(working, 30), "the workers did not start"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert not (out / "index.html").exists(), "publish finished before it was killed"
        assert _wait_for(lambda: not any(_alive(p, s) for p, s in workers.items()), 5), \
            "workers still running after their parent was killed"
        written = sorted((out / "feeds").rglob("*.ics"))
        time.sleep(0.3)
        assert sorted((out / "feeds").rglob("*.ics")) == written  # nobody writes any more
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        for pid, started in workers.items():  # only the workers this test saw start
            if _alive(pid, started):
                os.kill(pid, signal.SIGKILL)


# --- 8: names over the limit, stdout that cannot be written -------------------------------------


@pytest.mark.parametrize(("args", "option"), [
    (["schedule", "--election-year", "2027", "--output", "{tmp}/" + LONG], "--output"),
    (["ics", "--election-year", "2027", "--output", "{tmp}/" + LONG + "/feed.ics"], "--output"),
    (["simulate", str(SCENARIO), "--save-state", "{tmp}/" + LONG], "--save-state"),
    (["simulate", str(SCENARIO), "--output", "{tmp}/" + LONG], "--output"),
    (["publish", "--election-year", "2027", "--out-dir", "{tmp}/site", "--meetings-dir",
      "{tmp}/" + LONG], "--meetings-dir"),
    (["publish", "--election-year", "2027", "--out-dir", "{tmp}/" + LONG], "--out-dir"),
    (["publish", "--election-year", "2027", "--out-dir", "{tmp}/site", "--terms-dir",
      "{tmp}/" + LONG], "--terms-dir"),
])
def test_names_over_the_file_system_limit_are_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], option: str) -> None:
    code, _, err = _cli([a.replace("{tmp}", str(tmp_path)) for a in args] + ["--lang", "en"],
                        capsys)
    line = _one_error_line(err)
    assert code == 2 and option in line and len(line) < 400
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_stdout_on_dev_full_is_one_line() -> None:
    with open("/dev/full", "wb") as full:
        proc = _subprocess(["ics", "--election-year", "2027", "--lang", "en"], stdout=full,
                           stderr=subprocess.PIPE)
    line = _one_error_line(proc.stderr.decode())
    assert proc.returncode == 2 and "cannot write to standard output" in line


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_closed_stdout_is_one_line() -> None:
    proc = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "plancycle",
                           "schedule", "--election-year", "2027", "--lang", "en"],
                          stderr=subprocess.PIPE, timeout=TIMEOUT, check=False)
    line = _one_error_line(proc.stderr.decode())
    assert proc.returncode == 2 and "cannot write to standard output" in line


def test_a_reader_that_went_away_is_one_line() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "plancycle", "ics", "--election-year", "2027",
                             "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    try:
        err = proc.stderr.read().decode()
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stderr.close()
    line = _one_error_line(err)
    assert proc.returncode == 2 and "Broken pipe" in line


# --- 9: write_atomic ----------------------------------------------------------------------------


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_atomic_refuses_a_folder_a_fifo_and_a_symlink(tmp_path: Path) -> None:
    folder = tmp_path / "folder.ics"
    folder.mkdir()
    fifo = tmp_path / "fifo.ics"
    os.mkfifo(fifo)
    real = tmp_path / "real.ics"
    real.write_bytes(b"old")
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.ics"
    dangling.symlink_to(tmp_path / "nowhere")
    for target, kind in ((folder, "a folder"), (fifo, "a named pipe"), (link, "a symbolic link"),
                         (dangling, "a symbolic link")):
        with pytest.raises(InputError) as caught:
            write_atomic(target, b"new")
        assert kind in str(caught.value) and "not a regular file" in str(caught.value)
    assert folder.is_dir() and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert link.is_symlink() and real.read_bytes() == b"old" and dangling.is_symlink()
    assert _names(tmp_path) == ["dangling.ics", "fifo.ics", "folder.ics", "link.ics", "real.ics"]


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_write_atomic_refuses_a_device_such_as_dev_null(tmp_path: Path) -> None:
    null = tmp_path / "null"  # a twin of /dev/null: the real one is never at risk here
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    with pytest.raises(InputError, match="a device"):
        write_atomic(null, b"x")
    assert stat.S_ISCHR(null.lstat().st_mode) and _names(tmp_path) == ["null"]


def test_cli_output_onto_a_fifo_or_a_symlink_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "fifo.ics"
    os.mkfifo(fifo)
    link = tmp_path / "link.ics"
    link.symlink_to(tmp_path / "elsewhere.ics")
    for target in (fifo, link):
        code, _, err = _cli(["ics", "--election-year", "2027", "--output", str(target),
                             "--lang", "en"], capsys)
        assert code == 2 and "not a regular file" in _one_error_line(err)
    assert _names(tmp_path) == ["fifo.ics", "link.ics"]


@pytest.mark.parametrize("failing", ["write", "fsync", "replace", "interrupt"])
def test_write_atomic_leaves_no_temporary_file_and_the_old_file_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    target = tmp_path / "feed.ics"
    target.write_bytes(b"good old calendar")
    error: BaseException = (KeyboardInterrupt() if failing == "interrupt"
                            else OSError(errno.ENOSPC, "No space left on device"))

    def fail(*_: object) -> None:
        raise error

    monkeypatch.setattr(os, {"interrupt": "write"}.get(failing, failing), fail)
    with pytest.raises(type(error)):
        write_atomic(target, b"new calendar" * 1000)
    monkeypatch.undo()
    assert _names(tmp_path) == ["feed.ics"] and target.read_bytes() == b"good old calendar"


def test_write_atomic_syncs_the_file_then_renames_then_syncs_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    fsync, replace = os.fsync, os.replace

    def logged_fsync(fd: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        fsync(fd)

    def logged_replace(source: str, target: Path) -> None:
        events.append("rename")
        replace(source, target)

    monkeypatch.setattr(os, "fsync", logged_fsync)
    monkeypatch.setattr(os, "replace", logged_replace)
    write_atomic(tmp_path / "a.ics", b"x")
    assert events == ["fsync file", "rename", "fsync folder"]


def test_write_atomic_writes_a_name_as_long_as_the_system_allows(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 250)  # the temporary file's name must fit too
    write_atomic(target, b"data")
    assert target.read_bytes() == b"data" and _names(tmp_path) == [target.name]


def test_publish_over_a_file_where_a_folder_should_be(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "feeds").write_text("a file")
    code, _, err = _cli(["publish", "--election-year", "2027", "--out-dir", str(out),
                         "--lang", "en"], capsys)
    assert code == 2 and "--out-dir" in _one_error_line(err)
    assert (out / "feeds").read_text() == "a file"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_publish_over_a_folder_where_a_feed_should_be_keeps_what_was_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        jobs: str) -> None:
    monkeypatch.setattr(publish, "owners", lambda: [("k", "4601"), ("f", "46"), ("k", "1103")])
    out = tmp_path / "site"
    (out / "feeds" / "1103.ics").mkdir(parents=True)
    (out / "index.html").write_text("the old index")
    code, _, err = _cli(["publish", "--election-year", "2027", "--out-dir", str(out), "--jobs",
                         jobs, "--lang", "en"], capsys)
    line = _one_error_line(err)
    assert code == 2 and "1103.ics" in line and "a folder" in line
    assert (out / "index.html").read_text() == "the old index"
    assert (out / "feeds" / "1103.ics").is_dir()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_publish_onto_a_full_disk_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        jobs: str) -> None:
    monkeypatch.setattr(publish, "owners", lambda: [("k", "4601"), ("f", "46"), ("k", "1103")])
    real = publish.write_atomic

    def full(path: Path, data: bytes) -> None:
        if path.name == "46.ics":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(publish, "write_atomic", full)  # forked workers inherit it
    out = tmp_path / "site"
    code, _, err = _cli(["publish", "--election-year", "2027", "--out-dir", str(out), "--jobs",
                         jobs, "--lang", "nn"], capsys)
    line = _one_error_line(err)
    assert code == 2 and "46.ics kan ikkje skrivast: ikkje meir plass på disken" in line
    assert not (out / "index.html").exists()


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")
def test_publish_into_an_unwritable_folder_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    out.mkdir()
    out.chmod(0o555)
    try:
        code, _, err = _cli(["publish", "--election-year", "2027", "--out-dir", str(out),
                             "--lang", "en"], capsys)
        assert code == 2 and "permission denied" in _one_error_line(err).lower()
        assert _names(out) == []  # nothing was created
    finally:
        out.chmod(0o755)


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")
def test_publish_into_unwritable_feed_folders_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(publish, "owners", lambda: [("k", "4601"), ("f", "46")])
    out = tmp_path / "site"
    (out / "feeds" / "fylke").mkdir(parents=True)
    (out / "feeds").chmod(0o555)
    try:
        code, _, err = _cli(["publish", "--election-year", "2027", "--out-dir", str(out),
                             "--jobs", "2", "--lang", "en"], capsys)
        line = _one_error_line(err)
        assert code == 2 and "4601.ics cannot be written: Permission denied" in line
    finally:
        (out / "feeds").chmod(0o755)


def test_publish_that_cannot_write_is_one_line_as_root_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The permission case where chmod cannot show it (root): the system's refusal, simulated."""
    monkeypatch.setattr(publish, "owners", lambda: [("k", "4601")])

    def refused(*_: object, **__: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refused)
    code, _, err = _cli(["publish", "--election-year", "2027", "--out-dir", str(tmp_path),
                         "--jobs", "1", "--lang", "en"], capsys)
    assert code == 2 and "cannot be written: permission denied" in _one_error_line(err)


# --- 12: empty values are refused, not taken as "not given" -------------------------------------


@pytest.mark.parametrize(("args", "option"), [
    (["schedule", "--election-year", "2027", "--municipality", ""], "--municipality"),
    (["ics", "--election-year", "2027", "--county", ""], "--county"),
    (["schedule", "--election-year", "2027", "--municipality", "  "], "--municipality"),
    (["ics", "--election-year", "2027", "--meetings", ""], "--meetings"),
    (["schedule", "--election-year", "2027", "--output", ""], "--output"),
    (["ics", "--election-year", "2027", "--meetings", "x.csv", "--meeting-pattern", ""],
     "--meeting-pattern"),
    (["publish", "--election-year", "2027", "--out-dir", ""], "--out-dir"),
    (["publish", "--election-year", "2027", "--out-dir", "site", "--meetings-dir", ""],
     "--meetings-dir"),
    (["publish", "--election-year", "2027", "--out-dir", "site", "--terms-dir", ""],
     "--terms-dir"),
    (["publish", "--election-year", "2027", "--out-dir", "site", "--register", ""], "--register"),
    (["publish", "--election-year", "2027", "--out-dir", "site", "--base-url", ""], "--base-url"),
    (["compare", "--election-year", "2027", "--municipality", ""], "--municipality"),
    (["compare", "--election-year", "2027", "--scenario", ""], "--scenario"),
    (["compare", "--election-year", "2027", "--output", ""], "--output"),
    (["simulate", str(SCENARIO), "--save-state", ""], "--save-state"),
    (["simulate", "--resume", ""], "--resume"),
    (["simulate", ""], "FILE"),
])
def test_empty_values_are_refused_naming_the_option(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str], option: str) -> None:
    monkeypatch.chdir(tmp_path)  # publish --out-dir "" used to write here
    code, out, err = _cli([*args, "--lang", "en"], capsys)
    line = _one_error_line(err)
    assert code == 2 and out == "" and f"{option} cannot be empty" in line
    assert _names(tmp_path) == []


@pytest.mark.parametrize(("lang", "text"), [("nb", "--municipality kan ikke være tom"),
                                            ("nn", "--municipality kan ikkje vere tom")])
def test_empty_values_are_refused_in_the_users_language(
        capsys: pytest.CaptureFixture[str], lang: str, text: str) -> None:
    code, _, err = _cli(["schedule", "--election-year", "2027", "--municipality", "", "--lang",
                         lang], capsys)
    assert code == 2 and text in _one_error_line(err)
