"""Measures child processes the same way for every command: wall time and peak RSS (ru_maxrss).

A long-lived helper of bench/run.ts. It reads one JSON job per line on stdin:
    {"argv": [...], "env": {...}, "cwd": "...", "stdout": "FILE", "stderr": "FILE", "timeout": SECONDS}
spawns the command with posix_spawn (no shell, no Python in between), waits for it with wait4,
and answers one JSON line on stdout:
    {"wallMs": float, "cpuMs": float, "maxRssKb": int, "exitCode": int|null, "signal": int|null, "timedOut": bool}
The clock starts just before posix_spawn and stops when wait4 returns, so the overhead of this
helper is the same for every command measured. cpuMs is the child's user + system CPU time
(ru_utime + ru_stime): on a loaded machine it moves much less than the wall time. A job running past its timeout is killed (SIGKILL).
"""

import json
import os
import signal
import sys
import threading
import time


def run(job):
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    argv = job["argv"]
    cwd = job.get("cwd")
    previous = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        started = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, job["env"], file_actions=actions)
    finally:
        if cwd:
            os.chdir(previous)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(float(job.get("timeout", 60)), kill)
    timer.daemon = True
    timer.start()
    _, status, usage = os.wait4(pid, 0)
    ended = time.perf_counter_ns()
    timer.cancel()
    return {
        "wallMs": (ended - started) / 1e6,
        "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000,
        "maxRssKb": usage.ru_maxrss,
        "exitCode": os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "timedOut": timed_out.is_set(),
    }


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            result = run(json.loads(line))
        except Exception as error:  # reported to the caller, which fails the bench
            result = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
