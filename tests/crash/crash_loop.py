#!/usr/bin/env python3
"""crash_loop.py - SIGKILL a runtime in the middle of an operation, then
`delete -f`, then count what is left behind. Again and again.

    crash_loop.py --runtime BIN --bundle DIR --op OP --points   [--prefix P]
    crash_loop.py --runtime BIN --bundle DIR --op OP --timing N [--prefix P]

OP is create, start, exec, delete or run (run -d). The killed command runs
with the other steps of the lifecycle done before it without a kill (start
kills `start` of a created container, and so on).

--points: a test build of berth (meson -Dcrash_points=true) kills itself at
  the step named by $BERTH_CRASH_AT. One traced run ($BERTH_CRASH_TRACE)
  lists the steps the operation passes; then one try per step. A step that
  did not kill the runtime fails the run.
--timing N: any runtime (berth, runc, crun). N tries, killed after delays
  spread evenly over the time the operation takes (measured first).

After each try: `delete -f ID` (its exit status is reported), then the
leftovers: cgroup directories named ID in any hierarchy, processes (this
script is a child subreaper, so every process the try made and that
outlived its parent is our child), the state directory, mounts under the
bundle or state root. Leftovers are removed before the next try (the
processes killed, the cgroups rmdir'ed, the state dir deleted).

Prints one line per try with leftovers, then a summary line
  crash-loop: <runtime> <op> <mode>: <tries> tries, <n> with leftovers (...)
and exits 1 when any try left something or a delete -f failed.
"""
import argparse
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PR_SET_CHILD_SUBREAPER = 36
DEVNULL = subprocess.DEVNULL


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("crash-loop: prctl(PR_SET_CHILD_SUBREAPER): %s" % os.strerror(ctypes.get_errno()))


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def our_children(zombies=False):
    """Live (or, with zombies=True, dead and unreaped) processes whose
    parent is this script."""
    me = os.getpid()
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2:].split()
        if (rest[0] == "Z") == zombies and int(rest[1]) == me:
            out.append(int(d))
    return out


def reap_orphans(running):
    """Reap the zombies that were reparented to us, as an engine's
    subreaper or pid 1 would at once: a pid namespace's init is not gone
    until its children outside the namespace (an exec'd process whose
    `exec` was killed) are reaped. Never the one we still wait for."""
    for pid in our_children(zombies=True):
        if pid != running:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def cgroup_mounts():
    mounts = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            sep = fields.index("-")
            if fields[sep + 1] in ("cgroup", "cgroup2"):
                mounts.append(fields[4])
    return sorted(set(mounts))


def cgroup_dirs(name):
    found = []
    for m in cgroup_mounts():
        for top, dirs, _ in os.walk(m):
            if os.path.basename(top) == name:
                found.append(top)
    return found


def mounts_under(paths):
    out = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            mp = line.split()[4]
            if any(mp == p or mp.startswith(p + "/") for p in paths):
                out.append(mp)
    return out


class Loop:
    def __init__(self, a):
        self.a = a
        self.rt = os.path.abspath(a.runtime)
        self.bundle = os.path.abspath(a.bundle)
        self.root = tempfile.mkdtemp(prefix="berth-crash-root.")
        self.name = os.path.basename(self.rt)
        self.bad = 0
        self.delete_failed = 0
        self.kinds = {"cgroups": 0, "processes": 0, "state": 0, "mounts": 0}

    def cmd(self, *args):
        return [self.rt, "--root", self.root] + list(args)

    def call(self, *args):
        """Run a command; (exit status, stderr). A file, not a pipe, takes
        stderr: a container's init keeps its copy open."""
        with tempfile.TemporaryFile() as errf:
            p = subprocess.Popen(self.cmd(*args), stdin=DEVNULL, stdout=DEVNULL, stderr=errf)
            deadline = time.time() + 60
            while p.poll() is None:
                if time.time() > deadline:
                    p.kill()
                reap_orphans(p.pid)
                time.sleep(0.005)
            rc = p.returncode
            errf.seek(0)
            return rc, errf.read().decode(errors="replace").strip()

    def must(self, *args):
        """A step done before the killed one: it must work."""
        rc, msg = self.call(*args)
        if rc != 0:
            raise RuntimeError("%s %s: %s" % (self.name, " ".join(args), msg))

    def before(self, cid):
        op = self.a.op
        if op in ("start", "exec", "delete"):
            self.must("create", "--bundle", self.bundle, cid)
        if op in ("exec", "delete"):
            self.must("start", cid)

    def killed_args(self, cid):
        op = self.a.op
        if op == "create":
            return ["create", "--bundle", self.bundle, cid]
        if op == "run":
            return ["run", "-d", "--bundle", self.bundle, cid]
        if op == "start":
            return ["start", cid]
        if op == "exec":
            return ["exec", cid, "sleep", "1000"]
        return ["delete", "-f", cid]

    def launch(self, cid, env=None, stderr=DEVNULL):
        return subprocess.Popen(self.cmd(*self.killed_args(cid)), stdin=DEVNULL, stdout=DEVNULL,
                                stderr=stderr, env=env)

    def leftovers(self, cid):
        found = {}
        # processes the try made: killed ones may need a moment to go
        deadline = time.time() + 2
        while True:
            reap()
            procs = our_children()
            if not procs or time.time() > deadline:
                break
            time.sleep(0.02)
        if procs:
            found["processes"] = ["%d %s" % (p, cmdline(p)) for p in procs]
        cgs = cgroup_dirs(cid)
        if cgs:
            found["cgroups"] = cgs
        if os.path.lexists(os.path.join(self.root, cid)):
            found["state"] = [os.path.join(self.root, cid)]
        mnts = mounts_under([self.bundle, self.root])
        if mnts:
            found["mounts"] = mnts
        return found

    def clean(self, cid, found):
        for p in our_children():
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for d in sorted(found.get("cgroups", []), key=len, reverse=True):
            for top, dirs, _ in os.walk(d, topdown=False):
                try:
                    with open(os.path.join(top, "cgroup.procs")) as f:
                        for p in f.read().split():
                            try:
                                os.kill(int(p), signal.SIGKILL)
                            except ProcessLookupError:
                                pass
                except OSError:
                    pass
        time.sleep(0.05)
        reap()
        for d in sorted(found.get("cgroups", []), key=len, reverse=True):
            for top, dirs, _ in os.walk(d, topdown=False):
                for _ in range(50):
                    try:
                        os.rmdir(top)
                        break
                    except FileNotFoundError:
                        break
                    except OSError:
                        time.sleep(0.02)
        for m in sorted(found.get("mounts", []), key=len, reverse=True):
            subprocess.run(["umount", "-l", m], stderr=DEVNULL)
        shutil.rmtree(os.path.join(self.root, cid), ignore_errors=True)

    def check(self, label, cid):
        rc, msg = self.call("delete", "-f", cid)
        found = self.leftovers(cid)
        if rc != 0:
            self.delete_failed += 1
            print("%s: delete -f failed: %s" % (label, msg))
        if found:
            self.bad += 1
            for k, v in found.items():
                self.kinds[k] += 1
                print("%s: leftover %s: %s" % (label, k, ", ".join(v)))
            self.clean(cid, found)
        sys.stdout.flush()

    def trace_points(self):
        cid = "%s-trace" % self.a.prefix
        fd, trace = tempfile.mkstemp(prefix="berth-crash-trace.")
        os.close(fd)
        try:
            self.before(cid)
            env = dict(os.environ, BERTH_CRASH_TRACE=trace)
            env.pop("BERTH_CRASH_AT", None)
            with tempfile.TemporaryFile() as errf:
                p = self.launch(cid, env, stderr=errf)
                if self.a.op == "exec":
                    time.sleep(0.5)  # the exec'd sleep runs; the trace is complete
                    p.kill()
                rc = p.wait(timeout=60)
                errf.seek(0)
                if rc != 0 and self.a.op != "exec":
                    raise RuntimeError("traced %s failed: %s" % (self.a.op, errf.read().decode()))
            self.check("trace", cid)
            with open(trace) as f:
                names = [l.strip() for l in f if l.strip()]
        finally:
            os.unlink(trace)
        points = []
        for n in names:
            if n not in points:
                points.append(n)
        return points

    def run_points(self):
        points = self.trace_points()
        if not points:
            print("crash-loop: no crash points traced: not a -Dcrash_points=true build?")
            return 1
        print("crash-loop: %s steps: %s" % (self.a.op, " ".join(points)))
        not_reached = []
        for i, point in enumerate(points):
            cid = "%s-%d" % (self.a.prefix, i)
            self.before(cid)
            env = dict(os.environ, BERTH_CRASH_AT=point)
            env.pop("BERTH_CRASH_TRACE", None)
            p = self.launch(cid, env)
            try:
                rc = p.wait(timeout=10 if self.a.op == "exec" else 60)
            except subprocess.TimeoutExpired:
                p.kill()
                rc = p.wait()
            if rc != -signal.SIGKILL:
                not_reached.append(point)
            self.check(point, cid)
        self.summary("points", len(points))
        if not_reached:
            print("crash-loop: steps that did not kill the runtime: %s" % " ".join(not_reached))
            return 1
        return 1 if self.bad or self.delete_failed else 0

    def measure(self):
        """Median wall time of the operation, unkilled."""
        times = []
        for i in range(3):
            cid = "%s-cal%d" % (self.a.prefix, i)
            self.before(cid)
            t = time.monotonic()
            p = self.launch(cid)
            if self.a.op == "exec":
                # a foreground exec lasts as long as its process: time until
                # the process runs instead (its sleep appears in the cgroup)
                p.kill()
                p.wait()
                times.append(0.05)
                self.check("calibrate", cid)
                continue
            p.wait(timeout=60)
            times.append(time.monotonic() - t)
            self.check("calibrate", cid)
        times.sort()
        return times[1]

    def run_timing(self, n):
        span = self.measure() * 1.2
        print("crash-loop: %s %s takes %.1f ms; kills spread over 0..%.1f ms"
              % (self.name, self.a.op, span / 1.2 * 1000, span * 1000))
        for i in range(n):
            cid = "%s-%d" % (self.a.prefix, i)
            self.before(cid)
            delay = span * (i + 0.5) / n
            p = self.launch(cid)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait()
            self.check("try %d (%.2f ms)" % (i, delay * 1000), cid)
        self.summary("timing", n)
        return 1 if self.bad or self.delete_failed else 0

    def summary(self, mode, tries):
        kinds = ", ".join("%s %d" % kv for kv in self.kinds.items())
        print("crash-loop: %s %s %s: %d tries, %d with leftovers (%s), %d failed deletes"
              % (self.name, self.a.op, mode, tries, self.bad, kinds, self.delete_failed))

    def close(self):
        for cid in os.listdir(self.root):
            subprocess.run(self.cmd("delete", "-f", cid), stdout=DEVNULL, stderr=DEVNULL)
        reap()
        shutil.rmtree(self.root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runtime", required=True)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--op", required=True, choices=["create", "start", "exec", "delete", "run"])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--points", action="store_true")
    mode.add_argument("--timing", type=int, metavar="N")
    ap.add_argument("--prefix", default="crash-%d" % os.getpid(),
                    help="container ids are PREFIX-N (unique names: cgroups are found by name)")
    a = ap.parse_args()
    become_subreaper()
    loop = Loop(a)
    try:
        rc = loop.run_points() if a.points else loop.run_timing(a.timing)
    finally:
        loop.close()
    sys.exit(rc)


if __name__ == "__main__":
    main()
