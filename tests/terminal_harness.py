"""Drive programs in a real terminal: a private tmux server, and a throwaway OpenSSH server.

`TmuxSession` starts one program in a detached tmux session of a fixed size on a private
socket (`tmux -L <unique>`), so a test never touches a user's tmux. It sends keys with
`tmux send-keys` and reads what a person would see with `tmux capture-pane`. `wait_for`
polls the screen (every 0.1 s) until a text shows up; on a timeout the assertion message
carries the last screen, so a failure says what was on the terminal.

`SshServer` runs `/usr/sbin/sshd -D` on 127.0.0.1 with its own host key, its own authorised
client key and its own config, all under a temporary folder; `ssh_argv` builds the client
command line for it.

`processes_matching` / `wait_gone` look at /proc directly: `pgrep -f` would also match the
tmux server, whose command line is the one of the client that started it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

POLL = 0.1
SSHD = Path("/usr/sbin/sshd")


class ScreenTimeout(AssertionError):
    """`wait_for` gave up; str() holds what was expected and the last screen."""


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


def ssh_available() -> str | None:
    """None when sshd, ssh and ssh-keygen are usable here, else the reason they are not."""
    missing = [p for p in (str(SSHD), "ssh", "ssh-keygen") if shutil.which(p) is None]
    if missing:
        return "missing " + ", ".join(missing) + " (.ci/run installs openssh-server/openssh-client as root)"
    if os.geteuid() != 0:
        return "the SSH test logs in as root to 127.0.0.1 and so must run as root"
    return None


# --------------------------------------------------------------------------------------- tmux

# Variables that would make the program believe something other than the real terminal:
# COLUMNS/LINES (set in the test process, e.g. by a pytest plugin) beat the pty size in
# shutil.get_terminal_size, TMUX* would point at a user's own tmux, TEXTUAL_* would change
# the app (TEXTUAL_PRESS even types keys).
_NOT_PASSED = ("COLUMNS", "LINES", "TMUX", "TMUX_PANE", "TMUX_TMPDIR", "NO_COLOR")


def clean_env() -> dict[str, str]:
    """The environment for the tmux server (it hands it on to the program)."""
    return {k: v for k, v in os.environ.items() if k not in _NOT_PASSED and not k.startswith(("PYTEST_", "TEXTUAL"))}



class TmuxSession:
    """One program in a detached tmux session; use as a context manager (kills the server)."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        width: int = 120,
        height: int = 40,
        term: str = "xterm-256color",
        env: dict[str, str] | None = None,
        cwd: Path | str | None = None,
        workdir: Path | None = None,
    ) -> None:
        self.socket = f"claimdesk-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.name = "t"
        self.width, self.height, self.term = width, height, term
        self._workdir = workdir
        self._started = False
        self._socket_path = ""
        self._server_pid = 0
        self.program_pid = 0  # the program tmux started (the pane's first process)
        self._program_started: int | None = None
        try:
            self._start(list(argv), env or {}, cwd)
        except BaseException:
            self._started = True  # whatever got started: stop it
            self.close()
            raise

    # -- plumbing
    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
            env=clean_env(),
        )

    def _start(self, argv: list[str], env: dict[str, str], cwd: Path | str | None) -> None:
        # A config of our own: the terminal type the program sees, keep a dead pane on screen
        # (its last screen and exit status stay readable), no escape-key delay.
        conf_dir = self._workdir or Path(os.environ.get("TMPDIR", "/tmp"))
        conf = Path(conf_dir) / f"{self.socket}.conf"
        conf.write_text(
            f'set -g default-terminal "{self.term}"\n'
            "set -g remain-on-exit on\n"
            "set -s escape-time 0\n"
            "set -g history-limit 5000\n"
            "set -g status off\n"
        )
        args = ["-f", str(conf), "new-session", "-d", "-s", self.name]
        args += ["-x", str(self.width), "-y", str(self.height)]
        if cwd is not None:
            args += ["-c", str(cwd)]
        for key, value in {"TERM": self.term, **env}.items():
            args += ["-e", f"{key}={value}"]
        # More than one argument: tmux runs the program directly (no shell in between), so the
        # pane's pid is the program's pid.
        args += ["--", *argv] if len(argv) > 1 else ["--", argv[0]]
        self.tmux(*args)
        self._started = True
        self._socket_path = self.info("#{socket_path}")
        self._server_pid = int(self.info("#{pid}"))
        self.program_pid = int(self.info("#{pane_pid}"))
        self._program_started = start_time(self.program_pid)
        self.tmux("set-option", "-t", self.name, "window-size", "manual", check=False)
        self.tmux("resize-window", "-t", self.name, "-x", str(self.width), "-y", str(self.height), check=False)

    def hang_up(self) -> None:
        """The terminal goes away, as when its window is closed: the tmux server is killed, so
        the pty is closed and the program gets SIGHUP. The program itself is left to react."""
        if self._started:
            self.tmux("kill-server", check=False)
            self._started = False
            if self._socket_path.startswith("/") and Path(self._socket_path).name == self.socket:
                Path(self._socket_path).unlink(missing_ok=True)

    def close(self, grace: float = 5.0) -> None:
        """Hang up, then make sure the program we started is gone: after `grace` seconds it is
        killed (by its pid; tests that care whether it left by itself assert that first)."""
        self.hang_up()
        pid = self.program_pid
        if pid and wait_gone([pid], grace) and start_time(pid) == self._program_started:
            kill(pid)  # still ours (same pid, same start time), still running

    def __enter__(self) -> "TmuxSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what a person does
    def send_keys(self, *keys: str) -> None:
        """tmux key names: "j", "Enter", "C-z", "Escape", "?" ... one key per argument."""
        self.tmux("send-keys", "-t", self.name, *keys)

    def type_text(self, text: str) -> None:
        """Type `text` literally (no key-name lookup)."""
        self.tmux("send-keys", "-t", self.name, "-l", text)

    # -- what a person sees
    def capture(self) -> str:
        """The visible screen as text, one line per row (trailing blanks trimmed)."""
        out = self.tmux("capture-pane", "-p", "-t", self.name).stdout
        return "\n".join(line.rstrip() for line in out.splitlines())

    def info(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", self.name, fmt).stdout.strip()

    def size(self) -> tuple[int, int]:
        w, h = self.info("#{pane_width} #{pane_height}").split()
        return int(w), int(h)

    def pane_pid(self) -> int:
        return int(self.info("#{pane_pid}"))

    def dead(self) -> bool:
        return self.info("#{pane_dead}") == "1"

    def exit_status(self) -> int | None:
        """None while the program runs; its exit status once it has ended, or -N when signal N
        killed it (as subprocess.Popen.returncode). tmux marks a pane dead when its terminal
        closes, a moment before it has reaped the program: until then this is None too."""
        dead, status, sig = self.info("#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}").split("|")
        if dead != "1":
            return None
        if status:
            return int(status)
        if sig:
            return -int(sig)
        # Dead but not reaped: Debian's tmux (built with libutempter) can miss the SIGCHLD of a
        # pane that ends while utempter's own handler is installed, leaving a zombie and no
        # status (tmux issue #311). A SIGCHLD to our own server makes it reap now.
        if self._server_pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._server_pid, signal.SIGCHLD)
        return None

    def wait_for(
        self,
        what: str | Callable[[str], bool],
        timeout: float = 20.0,
        *,
        gone: bool = False,
    ) -> str:
        """Poll the screen until `what` (a text, or a predicate on the screen) is there
        (or, with gone=True, no longer there). Returns that screen."""
        test = what if callable(what) else (lambda screen: what in screen)
        label = getattr(what, "__name__", "predicate") if callable(what) else repr(what)
        deadline = time.monotonic() + timeout
        screen = ""
        while True:
            screen = self.capture()
            if bool(test(screen)) != gone:
                return screen
            if time.monotonic() > deadline:
                break
            if self.dead() and not gone:
                screen = self.capture()
                if bool(test(screen)) != gone:
                    return screen
                raise ScreenTimeout(
                    f"the program exited (status {self.exit_status()}) before the screen showed "
                    f"{label}; last screen:\n{frame(screen)}"
                )
            time.sleep(POLL)
        verb = "still shows" if gone else "never showed"
        raise ScreenTimeout(f"after {timeout:.0f} s the screen {verb} {label}; last screen:\n{frame(screen)}")

    def wait_exit(self, timeout: float = 20.0) -> int:
        """Wait for the program to end; returns its exit status (-N: killed by signal N)."""
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                raise ScreenTimeout(
                    f"the program did not exit within {timeout:.0f} s; last screen:\n{frame(self.capture())}"
                )
            time.sleep(POLL)
        return status


def short_copy(db: Path) -> Path:
    """A copy of database folder `db` at a short path (/tmp/cdt-XXXXXXXX/claimdesk.db), so the
    status bar, which shows the path, has room for the save state at any pytest basetemp.
    The caller removes `result.parent`."""
    folder = Path(tempfile.mkdtemp(prefix="cdt-"))
    target = folder / "claimdesk.db"
    shutil.copytree(db, target)
    return target


def frame(screen: str) -> str:
    """A screen capture boxed for an assertion message."""
    lines = screen.splitlines() or [""]
    width = max(len(line) for line in lines)
    bar = "+" + "-" * (width + 2) + "+"
    return "\n".join([bar, *(f"| {line.ljust(width)} |" for line in lines), bar])


def wait_until(check: Callable[[], object], timeout: float, what: str) -> object:
    """Poll `check()` every 0.1 s until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout:.0f} s: {what}")
        time.sleep(POLL)


# -------------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    state: str
    argv: tuple[str, ...]

    @property
    def alive(self) -> bool:
        return self.state not in ("Z", "X")


def read_proc(pid: int) -> Proc | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # stat: "pid (comm) state ppid ..." -- comm may hold spaces and parentheses
    rest = stat[stat.rindex(")") + 2 :].split()
    argv = tuple(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
    return Proc(pid=pid, ppid=int(rest[1]), state=rest[0], argv=argv)


def start_time(pid: int) -> int | None:
    """When the process started (clock ticks since boot): with the pid, names one process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return int(stat[stat.rindex(")") + 2 :].split()[19])


def all_processes() -> Iterable[Proc]:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            proc = read_proc(int(entry.name))
            if proc is not None:
                yield proc


def processes_matching(*needles: str) -> list[Proc]:
    """Live processes whose argv holds every needle (each as a substring of some argument),
    like `pgrep -f`, but leaving out tmux (its server's argv is its first client's)."""
    found = []
    for proc in all_processes():
        if not proc.alive or proc.pid == os.getpid() or not proc.argv:
            continue
        if Path(proc.argv[0]).name.startswith("tmux"):
            continue
        joined = "\0".join(proc.argv)
        if all(n in joined for n in needles):
            found.append(proc)
    return found


def descendants(pid: int) -> list[Proc]:
    procs = list(all_processes())
    children: dict[int, list[Proc]] = {}
    for p in procs:
        children.setdefault(p.ppid, []).append(p)
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child.pid)
    return out


def wait_gone(pids: Iterable[int], timeout: float) -> list[Proc]:
    """Wait until none of `pids` is a live process; returns the ones still alive (empty = all gone)."""
    pids = list(pids)
    deadline = time.monotonic() + timeout
    while True:
        alive = [p for p in (read_proc(pid) for pid in pids) if p is not None and p.alive]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(POLL)


# ---------------------------------------------------------------------------------------- ssh


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            return s.recv(4).startswith(b"SSH-")
    except OSError:
        return False


class SshServer:
    """A private sshd on 127.0.0.1: key login as root with a key made for it, nothing else."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        os.chmod(root, 0o700)
        self.host_key = root / "ssh_host_ed25519_key"
        self.client_key = root / "client_ed25519"
        self.authorized = root / "authorized_keys"
        self.config = root / "sshd_config"
        self.log = root / "sshd.log"
        self.pid_file = root / "sshd.pid"
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def _keygen(self, path: Path, comment: str) -> None:
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def start(self) -> "SshServer":
        self._keygen(self.host_key, "claimdesk-test-host")
        self._keygen(self.client_key, "claimdesk-test-client")
        self.authorized.write_text(Path(f"{self.client_key}.pub").read_text())
        os.chmod(self.authorized, 0o600)
        self.config.write_text(
            "\n".join(
                [
                    f"ListenAddress 127.0.0.1:{self.port}",
                    f"HostKey {self.host_key}",
                    f"AuthorizedKeysFile {self.authorized}",
                    f"PidFile {self.pid_file}",
                    "PermitRootLogin prohibit-password",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "StrictModes no",
                    "PrintMotd no",
                    "PrintLastLog no",
                    "UseDNS no",
                    "AcceptEnv LANG LC_* CLAIMDESK_*",
                    "ClientAliveInterval 0",
                    "LogLevel VERBOSE",
                    "",
                ]
            )
        )
        Path("/run/sshd").mkdir(mode=0o755, parents=True, exist_ok=True)  # privilege separation dir
        check = subprocess.run([str(SSHD), "-t", "-f", str(self.config)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"sshd -t rejected the test config: {check.stderr.strip()}")
        self.proc = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while not port_open(self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited ({self.proc.returncode}):\n{self.log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"sshd did not listen on {self.port}:\n{self.log.read_text()}")
            time.sleep(POLL)
        return self

    def ssh_argv(self, remote_command: str, *, tty: bool = True) -> list[str]:
        argv = ["ssh"]
        if tty:
            argv.append("-tt")
        argv += [
            "-i", str(self.client_key),
            "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR",
            "-o", "BatchMode=yes",
            "-o", "IdentitiesOnly=yes",
            "-F", "/dev/null",
            "-p", str(self.port),
            "root@127.0.0.1",
            remote_command,
        ]  # fmt: skip
        return argv

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""


def kill(pid: int, sig: int = signal.SIGKILL) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def progress_shown(reviewer: str, done: int, total: int):
    """Predicate: the status bar shows `done/total` for `reviewer`."""

    def check(screen: str) -> bool:
        return any(
            line.startswith(f" {reviewer} ") and f" {done}/{total} " in line for line in screen.splitlines()
        )

    check.__name__ = f"status bar '{reviewer} … {done}/{total}'"
    return check
