#!/usr/bin/env python3
"""Runs one benchmark process isolated from the rest of a shared machine, and reports what it cost.

The process gets its own session and scheduler autogroup at nice -19 (as in the llama.cpp reference
measurement: setsid, `echo -19 > /proc/self/autogroup`, `nice -n -19`), so a compiler running on the
other core at normal priority does not wreck two-thread timings. Raising priority needs root; without
it the run goes ahead at normal priority and says so.

Prints one JSON object: the command's stdout (parsed when it is JSON), wall time, the child's CPU time,
its peak RSS (from wait4, the same figure as /usr/bin/time -v), and "foreign" CPU use: cores' worth of
CPU time other processes used while it ran.

usage: isolate.py -- COMMAND [ARGS...]
"""
import json
import os
import sys
import time


def busy_seconds():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def isolate():
    os.setsid()
    try:
        with open("/proc/self/autogroup", "w") as f:
            f.write("-19")
        os.nice(-19)
    except OSError:
        os.environ["BENCH_NOT_PRIORITISED"] = "1"


def main():
    argv = sys.argv[1:]
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.exit(__doc__)
    read_end, write_end = os.pipe()
    busy0, t0 = busy_seconds(), time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        os.dup2(write_end, 1)
        isolate()
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(write_end)
    chunks = []
    while True:
        b = os.read(read_end, 65536)
        if not b:
            break
        chunks.append(b)
    _, status, usage = os.wait4(pid, 0)
    wall, busy = time.monotonic() - t0, busy_seconds() - busy0
    child_cpu = usage.ru_utime + usage.ru_stime
    out = b"".join(chunks).decode(errors="replace").strip()
    try:
        parsed = json.loads(out.splitlines()[-1]) if out else None
    except (ValueError, IndexError):
        parsed = None
    print(json.dumps({
        "exit": os.waitstatus_to_exitcode(status),
        "result": parsed,
        "stdout": None if parsed is not None else out[-2000:],
        "wall_s": round(wall, 3),
        "child_cpu_s": round(child_cpu, 3),
        "peak_rss_kib": usage.ru_maxrss,
        "foreign_cores": round(max(0.0, busy - child_cpu) / wall, 3) if wall > 0 else 0,
        "prioritised": os.geteuid() == 0,
    }))


if __name__ == "__main__":
    main()
