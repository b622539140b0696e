#!/usr/bin/env python3
"""tests/bench/bench.py - berth against runc, crun and a C floor, side by side.

Run through tests/bench/run.sh. Builds berth (build-bench/, release), builds
the floor (base.c) and the measuring wrapper (measure.c), makes a busybox
bundle offline, then measures every runtime in the same rounds, interleaved
(in a new random order each round), and reports medians and medians of per-round
paired ratios, as Markdown (stdout and <out>/results.md) and JSON
(<out>/results.json, with every raw sample).

Every number of one invocation comes from measure.c: wall time around
fork..wait4, and the rusage of the whole process tree (CPU, page faults,
peak RSS of its largest process).

It cleans up after itself even on Ctrl-C or failure: every container it
made is deleted, the state roots it used are removed, and cgroups named
after its run token are rmdir'ed. It never touches containers, cgroups or
mounts it did not create (crun runs inside a private mount namespace with
/sys/fs/cgroup/unified detached, which changes nothing outside).

python3 standard library only.
"""
import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUSYBOX = "/bin/busybox"
PODMAN_SECCOMP = "/usr/share/containers/seccomp.json"
# Capabilities in the default spec's bounding set; decide which podman
# profile rules apply.
DEFAULT_CAPS = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}
# Harmless syscalls for the generated N-rule seccomp profile: the rules
# match an argument value nobody passes, so the workload never trips them.
RULE_SYSCALLS = ["personality", "getpriority", "setpriority", "ioprio_get", "sched_getscheduler",
                 "getpgid", "getsid", "umask", "alarm", "sysinfo"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Failed(Exception):
    pass


# --------------------------------------------------------------------------
# Running and measuring one command


class Measurer:
    def __init__(self, measure_bin):
        self.bin = measure_bin

    def run(self, cmd, mflags=(), quiet=False, timeout=120):
        """Run cmd under measure; returns the sample dict (status, wall_ms,
        cpu_ms, faults, rss_kb, stdout, stderr). quiet: the command's output
        goes to /dev/null. Output goes through files, not pipes: a container
        that outlives the command (create, run -d) keeps its stdio open, and
        a pipe would make us wait for it."""
        argv = [self.bin] + (["-q"] if quiet else []) + list(mflags) + cmd
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            # Its own session, so a hung command and all it started can be
            # killed as one group.
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=True)
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()
                raise Failed("timed out after %ds: %s" % (timeout, " ".join(cmd)))
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode(errors="replace"), err.read().decode(
                errors="replace")
        at = stdout.rfind('\n{"status":')
        if p.returncode != 0 or at < 0:
            raise Failed("measure failed for %s: %s" % (" ".join(cmd), stderr[-400:]))
        d = json.loads(stdout[at:])
        return {
            "status": d["status"] if d["signal"] == 0 else 128 + d["signal"],
            "wall_ms": d["wall_ns"] / 1e6,
            "cpu_ms": (d["utime_us"] + d["stime_us"]) / 1e3,
            "faults": d["minflt"] + d["majflt"],
            "rss_kb": d["maxrss_kb"],
            "stdout": stdout[:at],
            "stderr": stderr.strip(),
        }


class Runtime:
    """One way of running a container: a binary, its global flags, and the
    measure flags its commands need (-U: /sys/fs/cgroup/unified hidden;
    -R PATH: the binary on a read-only bind mount)."""

    def __init__(self, name, argv, root, mflags=(), cgroups=True):
        self.name = name
        self.argv = argv
        self.root = root
        self.mflags = list(mflags)
        # A second measurement of berth on a read-only install: the run,
        # lifecycle, exec and seccomp sections only.
        self.sealed = "-R" in self.mflags
        self.cgroups = cgroups
        self.note = ""

    def cmd(self, *args, root=None):
        return self.argv + ["--root", root or self.root] + list(args)


# --------------------------------------------------------------------------
# Statistics and tables


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def paired_ratio(samples, base, key):
    """Median over rounds of samples[r][key] / base[r][key]."""
    rs = []
    for a, b in zip(samples, base):
        if a is not None and b is not None and b[key] > 0:
            rs.append(a[key] / b[key])
    return med(rs)


def fmt(x, digits=2, suffix=""):
    if x is None:
        return "n/a"
    if isinstance(x, str):
        return x
    if abs(x) >= 100:
        return "%.0f%s" % (x, suffix)
    return ("%%.%df%%s" % digits) % (x, suffix)


def table(headers, rows):
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(["---"] * len(headers)) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


# --------------------------------------------------------------------------
# The benchmark


class Bench:
    def __init__(self, args):
        self.args = args
        self.token = "bench%d" % os.getpid()
        self.build = os.path.join(REPO, "build-bench")
        self.work = os.path.join(self.build, "bench-work")
        self.out = os.path.abspath(args.out or os.path.join(self.build, "bench-results"))
        self.state_root = "/run/berth-bench-%s" % self.token
        self.rootfs = os.path.join(self.work, "rootfs")
        self.bundles = os.path.join(self.work, "bundles-" + self.token)
        self.created = []  # (runtime, id, root) not yet deleted
        self.base_procs = []  # (Popen of base, container init pid)
        self.extra_roots = []
        self.results = {"meta": {}, "sections": {}}
        self.md = []
        self.n = 0

    # ---- setup ----------------------------------------------------------

    def sh(self, cmd, **kw):
        log("+ " + " ".join(cmd))
        return subprocess.run(cmd, check=True, **kw)

    def build_all(self):
        os.makedirs(self.work, exist_ok=True)
        berth = os.path.join(self.build, "cmd", "berth")
        if not self.args.no_build:
            try:
                if not os.path.exists(os.path.join(self.build, "build.ninja")):
                    self.sh(["meson", "setup", self.build, "--buildtype=release"], cwd=REPO)
                self.sh(["ninja", "-C", self.build], stdout=subprocess.DEVNULL)
            except subprocess.CalledProcessError:
                log("bench: building berth failed; berth rows will be n/a")
        self.berth = berth if os.path.exists(berth) else None
        self.base = os.path.join(self.work, "base")
        self.sh(["cc", "-O2", "-Wall", "-Wextra", "-o", self.base, os.path.join(HERE, "base.c")])
        mbin = os.path.join(self.work, "measure")
        # Static, so the wrapper's own pages stay out of the children's peak RSS.
        try:
            self.sh(["cc", "-O2", "-static", "-o", mbin, os.path.join(HERE, "measure.c")],
                    stderr=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            self.sh(["cc", "-O2", "-o", mbin, os.path.join(HERE, "measure.c")])
        self.m = Measurer(mbin)

    def make_rootfs(self):
        script = os.path.join(REPO, "spec-examples", "make-rootfs.sh")
        if os.path.exists(os.path.join(self.rootfs, "bin", "busybox")):
            pass
        elif os.access(script, os.X_OK):
            self.sh([script, self.rootfs])
        else:
            os.makedirs(os.path.join(self.rootfs, "bin"), exist_ok=True)
            shutil.copy2(BUSYBOX, os.path.join(self.rootfs, "bin", "busybox"))
            applets = subprocess.run([BUSYBOX, "--list"], check=True, stdout=subprocess.PIPE)
            for a in applets.stdout.decode().split():
                link = os.path.join(self.rootfs, "bin", a)
                if a != "busybox" and not os.path.lexists(link):
                    os.symlink("busybox", link)
        # The root is read-only in the default spec: create every mount
        # point up front (runtimes would otherwise write into the bundle).
        for d in ["proc", "dev", "sys", "tmp"] + ["mnt/m%d" % i for i in range(self.max_mounts)]:
            os.makedirs(os.path.join(self.rootfs, d), exist_ok=True)

    def default_config(self):
        tmp = tempfile.mkdtemp(prefix="spec-", dir=self.work)
        try:
            subprocess.run(["runc", "spec", "--bundle", tmp], check=True)
            with open(os.path.join(tmp, "config.json")) as f:
                cfg = json.load(f)
        finally:
            shutil.rmtree(tmp)
        cfg["process"]["args"] = ["/bin/true"]
        cfg["process"]["terminal"] = False
        cfg["root"]["path"] = self.rootfs
        return cfg

    def bundle(self, name, args=None, mutate=None):
        """Write bundles/<name>/config.json from the default config."""
        cfg = json.loads(json.dumps(self.cfg))
        if args:
            cfg["process"]["args"] = args
        if mutate:
            mutate(cfg)
        d = os.path.join(self.bundles, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(cfg, f, indent=1)
        return d

    def runtimes(self):
        r = self.state_root
        rts = [
            Runtime("berth", [self.berth or "berth"], r + "/berth"),
            Runtime("berth-nocg", [self.berth or "berth", "--cgroup-manager=disabled"],
                    r + "/berth-nocg", cgroups=False),
            Runtime("berth-sealed", [self.berth or "berth"], r + "/berth-sealed",
                    mflags=["-R", self.berth or "berth"]),
            Runtime("berth-nocg-sealed", [self.berth or "berth", "--cgroup-manager=disabled"],
                    r + "/berth-nocg-sealed", mflags=["-R", self.berth or "berth"],
                    cgroups=False),
            Runtime("runc", ["runc"], r + "/runc"),
            Runtime("crun", ["crun"], r + "/crun", mflags=["-U"]),
            Runtime("crun-nocg", ["crun", "--cgroup-manager=disabled"], r + "/crun-nocg",
                    mflags=["-U"], cgroups=False),
        ]
        if self.args.base:
            # Another berth binary (e.g. a release build of an older commit),
            # measured in the same interleaved rounds: a refactor's cost.
            rts.insert(1, Runtime("berth-base", [self.args.base], r + "/berth-base"))
        return rts

    def probe(self, rt):
        """Can this runtime `run` the default bundle here? Sets rt.note."""
        if rt.name.startswith("berth") and not self.berth:
            rt.note = "not built"
            return False
        cid = self.cid(rt, "probe")
        try:
            s = self.rt_run(rt, "run", "--bundle", self.b_true, cid, timeout=30)
        except (Failed, subprocess.TimeoutExpired) as e:
            s = {"status": -1, "stderr": str(e)}
        self.forget(rt, cid)
        if s["status"] != 0:
            rt.note = (s["stderr"].splitlines() or ["exit %d" % s["status"]])[-1][:120]
            log("bench: %s cannot run here: %s" % (rt.name, rt.note))
            return False
        return True

    # ---- container bookkeeping -----------------------------------------

    def cid(self, rt, what):
        self.n += 1
        return "%s-%s-%s-%d" % (self.token, rt.name, what, self.n)

    def rt_run(self, rt, *args, root=None, quiet=False, timeout=60, track=True):
        """Measure one runtime command. Container-making verbs are tracked
        so cleanup can delete what they made even if they failed."""
        if track and args and args[0] in ("run", "create"):
            self.created.append((rt, args[-1], root or rt.root))
        return self.m.run(rt.cmd(*args, root=root), mflags=rt.mflags, quiet=quiet,
                          timeout=timeout)

    def forget(self, rt, cid, root=None, force=True):
        """Delete a container (force), ignoring errors; untrack it."""
        root = root or rt.root
        if force:
            try:
                self.m.run(rt.cmd("delete", "-f", cid, root=root), mflags=rt.mflags,
                           quiet=True, timeout=60)
            except (Failed, subprocess.TimeoutExpired):
                pass
        self.created = [c for c in self.created if not (c[1] == cid and c[2] == root)]

    def cleanup(self):
        log("bench: cleaning up")
        for rt, cid, root in list(self.created):
            self.forget(rt, cid, root)
        for p, init in self.base_procs:
            try:
                os.kill(init, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        self.base_procs = []
        # Anything a runtime still lists under our roots is ours.
        for rt in getattr(self, "all_rts", []):
            for root in [rt.root] + [r for n, r in self.extra_roots if n == rt.name]:
                if not os.path.isdir(root):
                    continue
                for cid in os.listdir(root):
                    if cid.startswith(self.token):
                        self.forget(rt, cid, root)
        if os.path.isdir(self.state_root):
            shutil.rmtree(self.state_root, ignore_errors=True)
        self.cleanup_cgroups()
        shutil.rmtree(self.bundles, ignore_errors=True)

    def cleanup_cgroups(self):
        """rmdir every cgroup named after our token, deepest first."""
        found = []
        for top, dirs, _ in os.walk("/sys/fs/cgroup"):
            if top.count("/") > 9:
                dirs[:] = []
                continue
            for d in list(dirs):
                if d.startswith(self.token):
                    for sub, _, _ in os.walk(os.path.join(top, d)):
                        found.append(sub)
                    dirs.remove(d)
        for _ in range(5):
            left = []
            for p in sorted(found, key=lambda x: -x.count("/")):
                try:
                    os.rmdir(p)
                except FileNotFoundError:
                    pass
                except OSError:
                    left.append(p)
            if not left:
                return
            found = left
            time.sleep(0.5)
        log("bench: could not remove cgroups: %s" % " ".join(found))

    # ---- interleaved rounds ---------------------------------------------

    def rounds(self, variants, n, label):
        """variants: list of (name, fn) where fn(round) returns a sample.
        Runs n rounds, each variant once per round, in a shuffled order. A
        variant that fails 3 times in a row is dropped for the section."""
        samples = {name: [] for name, _ in variants}
        notes = {}
        fails = {name: 0 for name, _ in variants}
        live = [v for v in variants]
        rng = random.Random(n * 7919 + len(variants))
        # One unrecorded warm-up round: page cache, the runtimes' own caches
        # (a seccomp cache is filled here, so "cached" means cached).
        for name, fn in variants:
            try:
                fn(-1)
            except (Failed, subprocess.TimeoutExpired):
                pass
        for r in range(n):
            # A fresh order each round: whoever runs right after a container
            # pays for some of its teardown (netns, mounts), so no variant
            # may always follow the same one.
            order = list(live)
            rng.shuffle(order)
            for name, fn in order:
                try:
                    s = fn(r)
                except (Failed, subprocess.TimeoutExpired) as e:
                    s = {"status": -1, "stderr": str(e)}
                if s is not None and s["status"] != 0:
                    fails[name] += 1
                    notes[name] = (s["stderr"].splitlines() or ["exit %d" % s["status"]])[-1][:160]
                    s = None
                elif s is not None:
                    fails[name] = 0
                samples[name].append(s)
                if fails[name] >= 3:
                    log("bench: %s: dropping %s: %s" % (label, name, notes[name]))
                    live = [v for v in live if v[0] != name]
            if (r + 1) % 10 == 0:
                log("bench: %s: round %d/%d" % (label, r + 1, n))
        for name in samples:
            samples[name] += [None] * (n - len(samples[name]))
        return samples, notes

    def summarize(self, samples, base_name, keys=("wall_ms", "cpu_ms", "faults", "rss_kb")):
        out = {}
        base = samples.get(base_name)
        for name, ss in samples.items():
            d = {"n": sum(1 for s in ss if s)}
            for k in keys:
                d[k] = med([s[k] for s in ss if s])
                if base is not None:
                    d[k + "_ratio"] = paired_ratio(ss, base, k)
            out[name] = d
        return out

    # ---- sections ---------------------------------------------------------

    def run_variant(self, rt, bundle, root=None, fresh_root=False):
        """fn(round) for `run` of a bundle; fresh_root: a new state root
        each round (an empty seccomp cache)."""

        def fn(r):
            rr = root or rt.root
            if fresh_root:
                rr = "%s-fresh-%d" % (rt.root, r)
                self.extra_roots.append((rt.name, rr))
            cid = self.cid(rt, "run")
            s = self.rt_run(rt, "run", "--bundle", bundle, cid, root=rr)
            # run deletes on exit; make sure, untracked, only on failure
            self.forget(rt, cid, rr, force=s["status"] != 0)
            if fresh_root:
                shutil.rmtree(rr, ignore_errors=True)
            return s

        return fn

    def section_run(self):
        rts = self.live_rts
        variants = [
            ("base", lambda r: self.m.run([self.base, self.rootfs])),
            ("base-full", lambda r: self.m.run([self.base, "-f", self.rootfs])),
        ] + [(rt.name, self.run_variant(rt, self.b_true)) for rt in rts]
        samples, notes = self.rounds(variants, self.args.rounds, "run")
        summ = self.summarize(samples, "base")
        counts = self.syscall_counts()
        rows = []
        for name, _ in variants + [(rt.name, None) for rt in self.dead_rts]:
            d = summ.get(name)
            c = counts.get(name, {})
            if d is None or d["n"] == 0:
                rows.append([name] + ["n/a"] * 10 + [self.note_of(name, notes)])
                continue
            rows.append([name, fmt(d["wall_ms"]), fmt(d["wall_ms_ratio"]), fmt(d["cpu_ms"]),
                         fmt(d["cpu_ms_ratio"]), fmt(d["faults"], 0), fmt(d["rss_kb"] / 1024.0),
                         fmt(c.get("syscalls"), 0), fmt(c.get("execve"), 0),
                         fmt(c.get("clone"), 0),
                         "%d" % d["n"], self.note_of(name, notes)])
        self.emit("run of /bin/true (default spec)",
                  table(["variant", "wall ms", "wall ×base", "CPU ms", "CPU ×base",
                         "page faults", "peak RSS MB", "syscalls", "execve", "clone/fork",
                         "rounds", "note"], rows),
                  "Medians over rounds; ×base = median of per-round paired ratios. "
                  "base = namespaces + mounts + pivot_root + exec; base-full adds devices, "
                  "masked/readonly paths, hostname, rlimits, caps, nnp. -nocg rows run with "
                  "--cgroup-manager=disabled. syscalls/execve/clone from one `strace -f -c` run "
                  "(perf counters are not available in this VM).")
        self.results["sections"]["run"] = {"summary": summ, "counts": counts, "notes": notes,
                                           "samples": samples}

    def note_of(self, name, notes):
        for rt in self.all_rts:
            if rt.name == name and rt.note:
                return rt.note
        return notes.get(name, "")

    def syscall_counts(self):
        """One strace -f -c run per variant: counts are stable, so one run
        is enough (and strace is too slow to time)."""
        out = {}
        if not shutil.which("strace"):
            return out
        cmds = [("base", [self.base, self.rootfs], False),
                ("base-full", [self.base, "-f", self.rootfs], False)]
        for rt in self.live_rts:
            cmds.append((rt.name, rt.cmd("run", "--bundle", self.b_true,
                                         self.cid(rt, "strace")), rt))
        for name, cmd, rt in cmds:
            if rt:
                self.created.append((rt, cmd[-1], rt.root))
            fd, path = tempfile.mkstemp(dir=self.work)
            os.close(fd)
            d = {}
            try:
                s = self.m.run(["strace", "-f", "-c", "-o", path] + cmd,
                               mflags=rt.mflags if rt else (), quiet=True)
                with open(path) as f:
                    text = f.read()
                calls = {}
                for line in text.splitlines():
                    parts = line.split()
                    if len(parts) >= 5 and parts[-1].isidentifier() and parts[3].isdigit():
                        calls[parts[-1]] = int(parts[3])
                    m = re.match(r"^\s*100\.00\s+\S+\s+\S+\s+(\d+)\s+", line)
                    if m:
                        d["syscalls"] = int(m.group(1))
                d["execve"] = calls.get("execve", 0) + calls.get("execveat", 0)
                d["clone"] = sum(calls.get(k, 0) for k in ("clone", "clone3", "fork", "vfork"))
                d["strace_status"] = s["status"]
            except (Failed, OSError, subprocess.TimeoutExpired) as e:
                log("bench: strace %s: %s" % (name, e))
            finally:
                os.unlink(path)
            if rt:
                self.forget(rt, cmd[-1])
            out[name] = d
        return out

    def section_lifecycle(self):
        def fn_for(rt):
            def fn(r):
                cid = self.cid(rt, "life")
                c = self.rt_run(rt, "create", "--bundle", self.b_true, cid)
                if c["status"] != 0:
                    self.forget(rt, cid)
                    return c
                s = self.rt_run(rt, "start", cid)
                if s["status"] != 0:
                    self.forget(rt, cid)
                    return s
                self.wait_status(rt, cid, "stopped")
                d = self.rt_run(rt, "delete", cid)
                self.forget(rt, cid, force=d["status"] != 0)
                if d["status"] != 0:
                    return d
                tot = {k: c[k] + s[k] + d[k] for k in ("wall_ms", "cpu_ms", "faults")}
                return dict(status=0, create=c, start=s, delete=d, **tot,
                            rss_kb=max(c["rss_kb"], s["rss_kb"], d["rss_kb"]))

            return fn

        variants = [("base", lambda r: self.m.run([self.base, self.rootfs]))]
        variants += [(rt.name, fn_for(rt)) for rt in self.live_rts]
        samples, notes = self.rounds(variants, self.args.rounds, "create/start/delete")
        rows = []
        summ = {}
        base = samples["base"]
        for name, _ in variants[1:]:
            ss = samples[name]
            d = {"n": sum(1 for s in ss if s)}
            for op in ("create", "start", "delete"):
                d[op + "_wall_ms"] = med([s[op]["wall_ms"] for s in ss if s])
                d[op + "_cpu_ms"] = med([s[op]["cpu_ms"] for s in ss if s])
            d["wall_ms"] = med([s["wall_ms"] for s in ss if s])
            d["wall_ms_ratio"] = paired_ratio(ss, base, "wall_ms")
            d["cpu_ms"] = med([s["cpu_ms"] for s in ss if s])
            d["cpu_ms_ratio"] = paired_ratio(ss, base, "cpu_ms")
            summ[name] = d
            if d["n"] == 0:
                rows.append([name] + ["n/a"] * 10 + [self.note_of(name, notes)])
                continue
            rows.append([name] + [fmt(d[op + "_" + k]) for op in ("create", "start", "delete")
                                  for k in ("wall_ms", "cpu_ms")]
                        + [fmt(d["wall_ms"]), fmt(d["wall_ms_ratio"]), fmt(d["cpu_ms"]),
                           fmt(d["cpu_ms_ratio"]), self.note_of(name, notes)])
        self.emit("create / start / delete of /bin/true",
                  table(["runtime", "create wall", "create CPU", "start wall", "start CPU",
                         "delete wall", "delete CPU", "sum wall ms", "sum ×base run",
                         "sum CPU ms", "CPU ×base run", "note"], rows),
                  "ms, medians. The container's own CPU after `create` returns is not counted "
                  "(its init is not a child of the measured command). ×base run = paired ratio "
                  "to the floor's whole run in the same round.")
        self.results["sections"]["lifecycle"] = {"summary": summ, "notes": notes,
                                                 "samples": samples}

    def wait_status(self, rt, cid, want, timeout=10.0, root=None):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                s = self.m.run(rt.cmd("state", cid, root=root), mflags=rt.mflags)
                if s["status"] == 0 and json.loads(s["stdout"]).get("status") == want:
                    return True
            except (Failed, ValueError, subprocess.TimeoutExpired):
                pass
            time.sleep(0.01)
        return False

    def start_sleeper(self, rt, root=None):
        """run -d a sleeping container; returns its id or None."""
        cid = self.cid(rt, "sleep")
        s = self.rt_run(rt, "run", "-d", "--bundle", self.b_sleep, cid, root=root, quiet=True,
                        timeout=60)
        if s["status"] != 0:
            self.forget(rt, cid, root)
            return None
        return cid

    def start_base_sleeper(self):
        p = subprocess.Popen([self.base, self.rootfs, "/bin/sleep", "100000"],
                             stdin=subprocess.DEVNULL)
        for _ in range(500):
            try:
                with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                    kids = f.read().split()
                if kids:
                    self.base_procs.append((p, int(kids[0])))
                    time.sleep(0.05)  # let it finish its mounts and exec sleep
                    return int(kids[0])
            except FileNotFoundError:
                pass
            time.sleep(0.01)
        p.kill()
        raise Failed("base sleeper did not start")

    def section_exec(self):
        init = self.start_base_sleeper()
        variants = [("base", lambda r: self.m.run([self.base, "-e", str(init)]))]
        notes0 = {}
        for rt in self.live_rts:
            cid = self.start_sleeper(rt)
            if cid is None:
                notes0[rt.name] = "run -d failed"
                continue
            self.wait_status(rt, cid, "running")
            variants.append((rt.name, (lambda rt, cid: lambda r: self.rt_run(
                rt, "exec", cid, "/bin/true"))(rt, cid)))
        samples, notes = self.rounds(variants, self.args.rounds, "exec")
        notes.update(notes0)
        summ = self.summarize(samples, "base")
        rows = []
        for rt in [None] + self.all_rts:
            name = rt.name if rt else "base"
            d = summ.get(name)
            if not d or d["n"] == 0:
                rows.append([name] + ["n/a"] * 6 + [self.note_of(name, notes)])
                continue
            rows.append([name, fmt(d["wall_ms"]), fmt(d["wall_ms_ratio"]), fmt(d["cpu_ms"]),
                         fmt(d["cpu_ms_ratio"]), fmt(d["faults"], 0), fmt(d["rss_kb"] / 1024.0),
                         self.note_of(name, notes)])
        self.emit("exec of /bin/true into a running container",
                  table(["variant", "wall ms", "wall ×base", "CPU ms", "CPU ×base",
                         "page faults", "peak RSS MB", "note"], rows),
                  "base = setns(pidfd, all namespaces) + fork + exec + wait.")
        self.results["sections"]["exec"] = {"summary": summ, "notes": notes, "samples": samples}
        self.cleanup_containers()

    def cleanup_containers(self):
        for rt, cid, root in list(self.created):
            self.forget(rt, cid, root)
        for p, init in self.base_procs:
            try:
                os.kill(init, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        self.base_procs = []

    def section_memlimit(self):
        rows = []
        res = {}
        for rt in self.live_rts:
            if not rt.cgroups or rt.sealed:
                continue

            def ok(limit, rt=rt):
                b = self.bundle("mem-%s" % rt.name, mutate=lambda c: c["linux"]["resources"]
                                .__setitem__("memory", {"limit": limit}))
                for _ in range(2):  # both tries must succeed
                    cid = self.cid(rt, "mem")
                    try:
                        s = self.rt_run(rt, "run", "--bundle", b, cid, quiet=True, timeout=30)
                    except (Failed, subprocess.TimeoutExpired):
                        s = {"status": -1}
                    self.forget(rt, cid)
                    if s["status"] != 0:
                        return False
                return True

            page = 4096
            hi = 256 << 20
            if not ok(hi):
                res[rt.name] = None
                rows.append([rt.name, "n/a", "fails even at 256 MiB"])
                continue
            lo = page  # assume too small; checked below
            if ok(lo):
                res[rt.name] = lo
                rows.append([rt.name, "≤ 4", ""])
                continue
            while hi - lo > page:
                mid = (lo + hi) // 2 // page * page
                if ok(mid):
                    hi = mid
                else:
                    lo = mid
            res[rt.name] = hi
            rows.append([rt.name, "%d" % (hi // 1024), ""])
            log("bench: memory limit %s: %d KiB" % (rt.name, hi // 1024))
        for rt in self.all_rts:
            if rt.cgroups and rt.name not in res:
                rows.append([rt.name, "n/a", rt.note or "not measured"])
        self.emit("smallest memory limit a container starts under",
                  table(["runtime", "KiB", "note"], rows),
                  "Bisection over linux.resources.memory.limit (4 KiB steps); a limit passes "
                  "when `run` of /bin/true exits 0 twice. Runtimes without cgroups here are "
                  "not listed. Target: 256 KiB.")
        self.results["sections"]["memlimit"] = res

    def section_size(self):
        rows = []
        res = {}
        bins = [("base", self.base)]
        if self.berth:
            bins.append(("berth", self.berth))
        bins += [("runc", shutil.which("runc")), ("crun", shutil.which("crun"))]
        for name, path in bins:
            if not path:
                continue
            path = os.path.realpath(path)
            libs = []
            p = subprocess.run(["ldd", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for line in p.stdout.decode().splitlines():
                m = re.search(r"(/\S+) \(0x", line)
                if m:
                    libs.append(os.path.realpath(m.group(1)))
            bsz = os.path.getsize(path)
            lsz = sum(os.path.getsize(x) for x in set(libs))
            res[name] = {"binary": bsz, "libs": lsz, "total": bsz + lsz,
                         "lib_names": sorted(set(os.path.basename(x) for x in libs))}
            rows.append([name, fmt(bsz / 1e6, 2), fmt(lsz / 1e6, 2), fmt((bsz + lsz) / 1e6, 2),
                         ", ".join(res[name]["lib_names"])])
        self.emit("binary + library size", table(["binary", "binary MB", "libs MB", "total MB",
                                                  "libraries (ldd)"], rows), "")
        self.results["sections"]["size"] = res

    # ---- seccomp ----------------------------------------------------------

    def podman_profile(self):
        ex = os.path.join(REPO, "spec-examples", "seccomp", "config.json")
        if os.path.exists(ex):
            with open(ex) as f:
                sc = json.load(f).get("linux", {}).get("seccomp")
            if sc:
                return sc, ex
        if not os.path.exists(PODMAN_SECCOMP):
            self.sh(["apt-get", "install", "-y", "golang-github-containers-common"])
        with open(PODMAN_SECCOMP) as f:
            return convert_docker_profile(json.load(f), DEFAULT_CAPS), PODMAN_SECCOMP

    def section_seccomp(self):
        prof, src = self.podman_profile()
        b = self.bundle("seccomp", mutate=lambda c: c["linux"].__setitem__("seccomp", prof))
        variants = []
        for rt in self.live_rts:
            variants += [(rt.name, self.run_variant(rt, self.b_true)),
                         (rt.name + " seccomp first", self.run_variant(rt, b, fresh_root=True)),
                         (rt.name + " seccomp cached",
                          self.run_variant(rt, b, root=rt.root + "-sc"))]
            self.extra_roots.append((rt.name, rt.root + "-sc"))
        samples, notes = self.rounds(variants, self.args.rounds, "seccomp")
        rows = []
        summ = {}
        for rt in self.all_rts:
            plain = samples.get(rt.name)
            for kind in ("first", "cached"):
                name = "%s seccomp %s" % (rt.name, kind)
                ss = samples.get(name)
                if not ss or not plain or not any(ss):
                    rows.append([name] + ["n/a"] * 5 + [self.note_of(name, notes)
                                                        or self.note_of(rt.name, notes)])
                    continue
                d = {"wall_ms": med([s["wall_ms"] for s in ss if s]),
                     "cpu_ms": med([s["cpu_ms"] for s in ss if s]),
                     "wall_ratio": paired_ratio(ss, plain, "wall_ms"),
                     "cpu_ratio": paired_ratio(ss, plain, "cpu_ms"),
                     "faults": med([s["faults"] for s in ss if s])}
                summ[name] = d
                rows.append([name, fmt(d["wall_ms"]), fmt(d["wall_ratio"]), fmt(d["cpu_ms"]),
                             fmt(d["cpu_ratio"]), fmt(d["faults"], 0), notes.get(name, "")])
        nrules = sum(len(r.get("names", [])) for r in prof.get("syscalls", []))
        self.emit("seccomp: podman's default profile",
                  table(["variant", "wall ms", "wall ×no-seccomp", "CPU ms", "CPU ×no-seccomp",
                         "page faults", "note"], rows),
                  "Profile from %s (%d rule entries, %d syscall names). first = a fresh state "
                  "root every round (empty cache); cached = the same root every round. Ratios are "
                  "paired with the same runtime's run without seccomp in the same round. "
                  "Target: cached ≤ 1.1× no-seccomp." % (src, len(prof.get("syscalls", [])),
                                                        nrules))
        self.results["sections"]["seccomp"] = {"summary": summ, "notes": notes,
                                               "samples": samples, "source": src}

    # ---- growth -------------------------------------------------------------

    def growth_rounds(self):
        return self.args.growth_rounds or max(5, min(self.args.rounds, 20))

    def levels_table(self, title, unit, levels, samples, notes, key_fmt, extra_note=""):
        rows = []
        summ = {}
        for rt in self.all_rts:
            meds = []
            for lv in levels:
                ss = samples.get(key_fmt % (rt.name, lv), [])
                meds.append({k: med([s[k] for s in ss if s]) for k in ("wall_ms", "cpu_ms")})
            summ[rt.name] = {str(lv): m for lv, m in zip(levels, meds)}
            if all(m["wall_ms"] is None for m in meds):
                rows.append([rt.name] + ["n/a"] * (len(levels) + 2) +
                            [rt.note or notes.get(key_fmt % (rt.name, levels[-1]), "")])
                continue
            slopes = []
            for (l0, m0), (l1, m1) in zip(zip(levels, meds), list(zip(levels, meds))[1:]):
                if m0["cpu_ms"] is not None and m1["cpu_ms"] is not None and l1 > l0:
                    slopes.append((m1["cpu_ms"] - m0["cpu_ms"]) / (l1 - l0) * 1000)
            verdict = growth_verdict(meds, slopes)
            summ[rt.name]["growth"] = verdict
            summ[rt.name]["cpu_us_per_" + unit] = slopes
            rows.append([rt.name] + ["%s / %s" % (fmt(m["wall_ms"]), fmt(m["cpu_ms"]))
                                     for m in meds]
                        + [" → ".join(fmt(s, 1) for s in slopes), verdict,
                           "; ".join(v for k, v in notes.items() if k.startswith(rt.name + "@"))
                           [:160]])
        self.emit(title, table(["runtime"] + ["N=%d wall / CPU ms" % lv for lv in levels]
                               + ["CPU µs per added %s, per segment" % unit, "growth", "note"],
                               rows),
                  "Medians of %d interleaved rounds per level. 'flat' when the CPU time at "
                  "the last level is within 25%% of the first; else 'superlinear?' when the "
                  "last segment's CPU cost per %s is > 2× the first's (+5 µs). %s"
                  % (self.growth_rounds(), unit, extra_note))
        return summ

    def section_growth_containers(self):
        levels = [x for x in self.args.running_levels if x <= self.args.max_containers]
        list_levels = [x for x in self.args.list_levels if x <= self.args.max_containers]
        all_levels = sorted(set(levels + list_levels))
        n = self.growth_rounds()
        running = {rt.name: [] for rt in self.growth_rts}
        run_samples, list_samples, state_samples, notes = {}, {}, {}, {}
        for lv in all_levels:
            for rt in self.growth_rts:
                t0 = time.monotonic()
                while len(running[rt.name]) < lv:
                    cid = self.start_sleeper(rt)
                    if cid is None:
                        notes["%s@%d" % (rt.name, lv)] = "run -d failed at %d" % len(
                            running[rt.name])
                        break
                    running[rt.name].append(cid)
                log("bench: %s: %d running (%.1fs)" % (rt.name, len(running[rt.name]),
                                                        time.monotonic() - t0))
            rts = [rt for rt in self.growth_rts if len(running[rt.name]) >= lv]
            variants = []
            if lv in levels:
                variants += [("%s@%d run" % (rt.name, lv), self.run_variant(rt, self.b_true))
                             for rt in rts]
            if lv in list_levels:
                variants += [("%s@%d list" % (rt.name, lv),
                              (lambda rt: lambda r: self.rt_run(rt, "list", quiet=True))(rt))
                             for rt in rts]
                variants += [("%s@%d state" % (rt.name, lv),
                              (lambda rt: lambda r: self.rt_run(rt, "state",
                                                                running[rt.name][0]))(rt))
                             for rt in rts if running[rt.name]]
            samples, nn = self.rounds(variants, n, "growth @%d" % lv)
            notes.update(nn)
            for k, v in samples.items():
                rt_lv, kind = k.rsplit(" ", 1)
                {"run": run_samples, "list": list_samples, "state": state_samples}[kind][
                    rt_lv] = v
        res = {}
        res["run"] = self.levels_table("growth: run of /bin/true with N containers running",
                                       "container", levels, run_samples, notes, "%s@%d")
        res["list"] = self.levels_table("growth: `list` with N containers", "container",
                                        list_levels, list_samples, notes, "%s@%d")
        sl = [x for x in list_levels if x > 0]
        res["state"] = self.levels_table("growth: `state` of one container with N containers",
                                         "container", sl, state_samples, notes, "%s@%d")
        self.results["sections"]["growth_containers"] = res
        log("bench: deleting the running containers")
        self.cleanup_containers()

    def section_growth_mounts(self):
        levels = self.args.mount_levels
        bundles = {}
        for lv in levels:
            def mut(c, lv=lv):
                c["mounts"] += [{"destination": "/mnt/m%d" % i, "type": "tmpfs",
                                 "source": "tmpfs", "options": ["nosuid", "nodev", "size=64k"]}
                                for i in range(lv)]
            bundles[lv] = self.bundle("mounts-%d" % lv, mutate=mut)
        variants = [("%s@%d" % (rt.name, lv), self.run_variant(rt, bundles[lv]))
                    for rt in self.growth_rts for lv in levels]
        samples, notes = self.rounds(variants, self.growth_rounds(), "mounts")
        self.results["sections"]["growth_mounts"] = self.levels_table(
            "growth: run of /bin/true with N extra tmpfs mounts", "mount", levels, samples,
            notes, "%s@%d")

    def section_growth_seccomp(self):
        levels = self.args.rule_levels
        bundles = {}
        for lv in levels:
            prof = {"defaultAction": "SCMP_ACT_ALLOW",
                    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                    "syscalls": [{"names": [RULE_SYSCALLS[i % len(RULE_SYSCALLS)]],
                                  "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                                  "args": [{"index": 0, "value": 100000 + i,
                                            "op": "SCMP_CMP_EQ"}]}
                                 for i in range(lv)]}
            bundles[lv] = self.bundle("rules-%d" % lv, mutate=lambda c, p=prof: c["linux"]
                                      .__setitem__("seccomp", p))
        variants = [("%s@%d" % (rt.name, lv), self.run_variant(rt, bundles[lv]))
                    for rt in self.growth_rts for lv in levels]
        samples, notes = self.rounds(variants, self.growth_rounds(), "seccomp rules")
        self.results["sections"]["growth_seccomp"] = self.levels_table(
            "growth: run of /bin/true with an N-rule seccomp profile", "rule", levels, samples,
            notes, "%s@%d", "Rules: default allow, each rule errno on one argument value "
            "nobody passes. Stable state root (cached where a runtime caches).")

    # ---- targets ------------------------------------------------------------

    def section_targets(self):
        """The issue's targets against what this run measured."""
        sec = self.results["sections"]
        names = ["berth", "berth-nocg", "berth-sealed", "berth-nocg-sealed", "runc", "crun",
                 "crun-nocg"]

        def get(path, name):
            d = sec
            for k in path[:1]:
                d = d.get(k) or {}
            if path[0] == "memlimit":
                return d[name] // 1024 if d.get(name) else None
            if path[0] == "seccomp":
                return ((d.get("summary") or {}).get(name + " seccomp cached") or {}).get(path[1])
            if path[0].startswith("growth"):
                verdicts = []
                for part in (d.values() if path[0] == "growth_containers" else [d]):
                    v = (part.get(name) or {}).get("growth")
                    if v:
                        verdicts.append(v)
                return None if not verdicts else (
                    "superlinear?" if "superlinear?" in verdicts else "ok")
            return ((d.get("summary") or {}).get(name) or {}).get(path[1])

        checks = [
            ("run CPU ×base", ("run", "cpu_ms_ratio"), 1.4),
            ("run wall ×base", ("run", "wall_ms_ratio"), 1.4),
            ("exec CPU ×base", ("exec", "cpu_ms_ratio"), 1.5),
            ("exec wall ×base", ("exec", "wall_ms_ratio"), 1.5),
            ("run page faults", ("run", "faults"), 300),
            ("run peak RSS KiB", ("run", "rss_kb"), 2048),
            ("memory limit KiB", ("memlimit",), 256),
            ("seccomp cached CPU ×no-seccomp", ("seccomp", "cpu_ratio"), 1.1),
            ("seccomp cached wall ×no-seccomp", ("seccomp", "wall_ratio"), 1.1),
            ("growth (containers)", ("growth_containers",), "ok"),
            ("growth (mounts)", ("growth_mounts",), "ok"),
            ("growth (seccomp rules)", ("growth_seccomp",), "ok"),
        ]
        rows = []
        out = {}
        for label, path, limit in checks:
            vals = [get(path, n) for n in names]
            b = vals[0]
            if b is None:
                verdict = "n/a"
            elif isinstance(limit, str):
                verdict = "pass" if b == limit else "FAIL"
            else:
                verdict = "pass" if b <= limit else "FAIL"
            out[label] = {"limit": limit, "values": dict(zip(names, vals)), "berth": verdict}
            rows.append([label, "≤ %s" % limit if not isinstance(limit, str) else limit]
                        + [fmt(v) if not isinstance(v, str) else v for v in vals] + [verdict])
        self.emit("targets (issue 9)", table(["target", "limit"] + names + ["berth"], rows),
                  "The verdict is for the `berth` row (with cgroups); the others are context.")
        sec["targets"] = out

    # ---- output ------------------------------------------------------------

    def emit(self, title, body, note):
        text = "### %s\n\n%s\n" % (title, body)
        if note:
            text += "\n%s\n" % note
        self.md.append(text)
        print(text, flush=True)

    def meta(self):
        def ver(cmd):
            try:
                return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      timeout=10).stdout.decode().splitlines()[0]
            except (OSError, IndexError, subprocess.TimeoutExpired):
                return "n/a"

        m = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "kernel": platform.release(),
             "cpus": os.cpu_count(), "rounds": self.args.rounds,
             "growth_rounds": self.growth_rounds(),
             "runc": ver(["runc", "--version"]), "crun": ver(["crun", "--version"]),
             "berth": ver([self.berth, "--version"]) if self.berth else "not built",
             "runtimes": {rt.name: rt.note or "ok" for rt in self.all_rts}}
        self.results["meta"] = m
        head = ("## berth benchmark\n\n%s, kernel %s, %d CPUs; %s; %s; %s. %d rounds "
                "(growth: %d).\n" % (m["date"], m["kernel"], m["cpus"], m["berth"], m["runc"],
                                     m["crun"], m["rounds"], m["growth_rounds"]))
        self.md.insert(0, head)
        print(head)

    def write(self):
        os.makedirs(self.out, exist_ok=True)
        with open(os.path.join(self.out, "results.md"), "w") as f:
            f.write("\n".join(self.md))
        with open(os.path.join(self.out, "results.json"), "w") as f:
            json.dump(self.results, f, indent=1, default=str)
        log("bench: wrote %s/results.md and results.json" % self.out)

    def main(self):
        self.max_mounts = max(self.args.mount_levels + [0])
        self.build_all()
        self.make_rootfs()
        self.cfg = self.default_config()
        self.b_true = self.bundle("true")
        self.b_sleep = self.bundle("sleep", args=["/bin/sleep", "100000"])
        os.makedirs(self.state_root, exist_ok=True)
        self.all_rts = [rt for rt in self.runtimes()
                        if rt.name in self.args.runtimes or rt.name == "berth-base"]
        self.live_rts = [rt for rt in self.all_rts if self.probe(rt)]
        self.growth_rts = [rt for rt in self.live_rts if not rt.sealed]
        self.dead_rts = [rt for rt in self.all_rts if rt not in self.live_rts]
        self.meta()
        sections = {"run": self.section_run, "lifecycle": self.section_lifecycle,
                    "exec": self.section_exec, "memlimit": self.section_memlimit,
                    "size": self.section_size, "seccomp": self.section_seccomp,
                    "containers": self.section_growth_containers,
                    "mounts": self.section_growth_mounts,
                    "rules": self.section_growth_seccomp}
        for name in self.args.sections:
            t0 = time.monotonic()
            try:
                sections[name]()
            except Failed as e:
                log("bench: section %s failed: %s" % (name, e))
                self.emit(name, "failed: %s" % e, "")
            log("bench: section %s took %.0fs" % (name, time.monotonic() - t0))
            self.cleanup_containers()
            self.write()
        self.section_targets()
        self.write()


def growth_verdict(meds, slopes):
    """'flat', 'linear' or 'superlinear?' from per-level CPU medians and the
    CPU cost per unit of each segment between levels."""
    first, last = meds[0]["cpu_ms"], meds[-1]["cpu_ms"]
    if first is None or last is None:
        return ""
    if last <= first * 1.25:
        return "flat (%+.0f%%)" % ((last / first - 1) * 100)
    if len(slopes) >= 2 and slopes[-1] > 2 * max(slopes[0], 0.0) + 5:
        return "superlinear?"
    return "linear"


def convert_docker_profile(d, caps, arch="amd64"):
    """podman/docker seccomp.json -> OCI linux.seccomp for this arch and
    capability set (the same selection podman makes)."""
    kernel = tuple(int(x) for x in re.findall(r"\d+", platform.release())[:2])
    archs = []
    for a in d.get("archMap", []):
        if a["architecture"] == "SCMP_ARCH_X86_64":
            archs = [a["architecture"]] + a.get("subArchitectures", [])
    rules = []
    for s in d.get("syscalls", []):
        inc, exc = s.get("includes", {}) or {}, s.get("excludes", {}) or {}
        if inc.get("arches") and arch not in inc["arches"]:
            continue
        if inc.get("caps") and not all(c in caps for c in inc["caps"]):
            continue
        if inc.get("minKernel"):
            mk = tuple(int(x) for x in re.findall(r"\d+", inc["minKernel"])[:2])
            if kernel < mk:
                continue
        if exc.get("arches") and arch in exc["arches"]:
            continue
        if exc.get("caps") and any(c in caps for c in exc["caps"]):
            continue
        r = {"names": s["names"], "action": s["action"]}
        if s.get("errnoRet") is not None:
            r["errnoRet"] = s["errnoRet"]
        if s.get("args"):
            r["args"] = [{k: v for k, v in a.items() if k in ("index", "value", "valueTwo", "op")}
                         for a in s["args"]]
        rules.append(r)
    out = {"defaultAction": d["defaultAction"], "architectures": archs, "syscalls": rules}
    if d.get("defaultErrnoRet") is not None:
        out["defaultErrnoRet"] = d["defaultErrnoRet"]
    return out


ALL_SECTIONS = ["run", "lifecycle", "exec", "memlimit", "size", "seccomp", "containers",
                "mounts", "rules"]
ALL_RUNTIMES = ["berth", "berth-nocg", "berth-sealed", "berth-nocg-sealed", "runc", "crun",
                "crun-nocg"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--rounds", type=int, default=30, help="rounds per section (30)")
    p.add_argument("--full", action="store_true", help="100 rounds, as the issue's numbers")
    p.add_argument("--growth-rounds", type=int, default=0,
                   help="rounds per growth level (default min(rounds, 20))")
    p.add_argument("--sections", default=",".join(ALL_SECTIONS),
                   help="comma list of: " + ",".join(ALL_SECTIONS))
    p.add_argument("--runtimes", default=",".join(ALL_RUNTIMES),
                   help="comma list of: " + ",".join(ALL_RUNTIMES))
    p.add_argument("--max-containers", type=int, default=1000,
                   help="cap for the running/list levels (1000)")
    p.add_argument("--running-levels", default="0,100,500")
    p.add_argument("--list-levels", default="0,100,1000")
    p.add_argument("--mount-levels", default="0,100,500")
    p.add_argument("--rule-levels", default="0,100,400")
    p.add_argument("--no-build", action="store_true", help="use build-bench/ as it is")
    p.add_argument("-o", "--out", help="result directory (build-bench/bench-results)")
    p.add_argument("--base", metavar="BERTH",
                   help="also measure this berth binary, as berth-base (e.g. a release "
                        "build of the commit before a change)")
    a = p.parse_args(argv)
    if a.full:
        a.rounds = 100
    a.sections = [s for s in a.sections.split(",") if s]
    a.runtimes = [s for s in a.runtimes.split(",") if s]
    for s in a.sections:
        if s not in ALL_SECTIONS:
            p.error("unknown section %s" % s)
    for lv in ("running_levels", "list_levels", "mount_levels", "rule_levels"):
        setattr(a, lv, [int(x) for x in getattr(a, lv).split(",") if x])
    return a


def main():
    if os.geteuid() != 0:
        sys.exit("bench: must run as root (it creates containers)")
    b = Bench(parse_args(sys.argv[1:]))

    def stop(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        b.main()
    except KeyboardInterrupt:
        log("bench: interrupted")
        return_code = 130
    else:
        return_code = 0
    finally:
        # A second Ctrl-C must not cut the cleanup short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        b.cleanup()
    sys.exit(return_code)


if __name__ == "__main__":
    main()
