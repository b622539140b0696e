#!/usr/bin/env python3
"""regenerate.py - rewrite the spec-examples configs from `berth spec`.

usage: spec-examples/regenerate.py [BERTH]   (default: build/cmd/berth)

default/, rootless/, resources/, hooks/, tty/ and join-namespaces/ start from
what `berth spec` (or `berth spec --rootless`) writes and change only what
each example is about; minimal/ is written out whole. Run it after changing
runtime/spec_default.c: tests/integration/spec.bats checks that default/
still matches `berth spec`. seccomp/ has its own convert.py.

The host matters in one place: on a cgroup2-only host `berth spec` adds a
cgroup namespace (as runc does); the committed files come from a hybrid
host, without it.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

ex = os.path.dirname(os.path.abspath(__file__))
berth = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ex, "..", "build", "cmd", "berth")


def berth_spec(*flags):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([berth, "spec", "-b", d, *flags], check=True)
        with open(os.path.join(d, "config.json")) as f:
            return json.load(f)


base = berth_spec()
rl = berth_spec("--rootless")


def write(name, doc):
    os.makedirs(f"{ex}/{name}", exist_ok=True)
    with open(f"{ex}/{name}/config.json", "w") as f:
        json.dump(doc, f, indent="\t")
        f.write("\n")


# default: berth spec, with a workload that prints something and no terminal
d = copy.deepcopy(base)
d["process"]["terminal"] = False
d["process"]["args"] = ["sh", "-c", "echo hello from berth; cat /proc/self/status | grep -E '^(Uid|CapEff)'"]
write("default", d)

# minimal: the least a config needs to run a process in its own pid and mount namespaces
m = {
    "ociVersion": "1.3.0",
    "root": {"path": "rootfs"},
    "process": {
        "user": {"uid": 0, "gid": 0},
        "args": ["sh", "-c", "echo hello from a minimal berth container; ps"],
        "env": ["PATH=/usr/bin:/bin"],
        "cwd": "/",
    },
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
    "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]},
}
write("minimal", m)

# rootless: berth spec --rootless as uid/gid 1000 would write it
r = copy.deepcopy(rl)
r["process"]["terminal"] = False
r["process"]["args"] = ["sh", "-c", "echo uid_map:; cat /proc/self/uid_map; id"]
r["linux"]["uidMappings"][0]["hostID"] = 1000
r["linux"]["gidMappings"][0]["hostID"] = 1000
write("rootless", r)

# resources: memory, cpu and pids limits
res = copy.deepcopy(base)
res["process"]["terminal"] = False
res["process"]["args"] = ["sh", "-c",
    "for f in memory.max memory/memory.limit_in_bytes cpu.max cpu/cpu.cfs_quota_us "
    "cpu.weight cpu/cpu.shares pids.max pids/pids.max; do "
    "[ -r /sys/fs/cgroup/$f ] && echo \"$f: $(cat /sys/fs/cgroup/$f)\"; done; true"]
res["linux"]["resources"] = {
    "devices": base["linux"]["resources"]["devices"],
    "memory": {"limit": 67108864, "reservation": 33554432, "swap": 67108864},
    "cpu": {"shares": 512, "quota": 50000, "period": 100000},
    "pids": {"limit": 64},
}
write("resources", res)

# hooks: every kind; all but startContainer log to <bundle>/hooks.log
# (createContainer runs in the container's mount namespace but before
# pivot_root, so the bundle path still resolves)
log_to_bundle = ("b=$(sed -n 's/.*\"bundle\": *\"\\([^\"]*\\)\".*/\\1/p'); "
                 "echo \"$HOOK_KIND\" >> \"$b/hooks.log\"")


def host_hook(kind, timeout=None):
    h = {"path": "/bin/sh", "args": ["sh", "-c", log_to_bundle],
         "env": [f"HOOK_KIND={kind}", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"]}
    if timeout:
        h["timeout"] = timeout
    return h


def container_hook(kind):
    return {"path": "/bin/sh", "args": ["sh", "-c", f"echo {kind} ran > /tmp/{kind}"]}


h = copy.deepcopy(base)
h["process"]["terminal"] = False
h["process"]["args"] = ["sh", "-c", "cat /tmp/startContainer"]
h["hooks"] = {
    "prestart": [host_hook("prestart")],
    "createRuntime": [host_hook("createRuntime", 10)],
    "createContainer": [host_hook("createContainer")],
    "startContainer": [container_hook("startContainer")],
    "poststart": [host_hook("poststart")],
    "poststop": [host_hook("poststop", 10)],
}
# a tmpfs /tmp for startContainer to write to: the rootfs stays read-only
h["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                    "options": ["nosuid", "nodev", "mode=1777", "size=1m"]})
write("hooks", h)

# tty: a terminal of a given size
t = copy.deepcopy(base)
t["process"]["terminal"] = True
t["process"]["consoleSize"] = {"height": 24, "width": 80}
t["process"]["args"] = ["sh", "-c", "tty; [ -t 0 ] && echo stdin is a terminal; echo hello from a berth terminal"]
write("tty", t)

# join-namespaces: the network namespace of `ip netns add berth-example`
j = copy.deepcopy(base)
j["process"]["terminal"] = False
j["process"]["args"] = ["sh", "-c", "ip -o link; ip -o addr"]
j["linux"]["namespaces"] = [
    {"type": "network", "path": "/var/run/netns/berth-example"} if n["type"] == "network" else n
    for n in base["linux"]["namespaces"]
]
write("join-namespaces", j)

# systemd: a system container whose PID 1 is systemd (rootfs: a distribution
# tree with systemd, e.g. Debian's). What systemd's container interface asks
# for: container= in the environment, tmpfs on /run, /run/lock and /tmp, a
# cgroup namespace with a writable /sys/fs/cgroup (its own subtree), and
# SIGRTMIN+3 to shut down (the engine's stop signal: `berth kill ID RTMIN+3`).
# CAP_SYS_ADMIN lets it mount what it wants inside (as systemd-nspawn grants).
s = copy.deepcopy(base)
s["process"]["terminal"] = False
s["process"]["args"] = ["/lib/systemd/systemd"]
s["process"]["env"] = s["process"]["env"] + ["container=berth"]
s["process"]["noNewPrivileges"] = False
caps = sorted(set(s["process"]["capabilities"]["bounding"]) | {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_SETGID", "CAP_SETUID",
    "CAP_SETPCAP", "CAP_SYS_ADMIN", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_NET_ADMIN",
    "CAP_NET_RAW", "CAP_SYS_RESOURCE", "CAP_SETFCAP", "CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH",
    "CAP_LINUX_IMMUTABLE", "CAP_IPC_LOCK", "CAP_AUDIT_CONTROL"})
for k in ("bounding", "effective", "permitted"):
    s["process"]["capabilities"][k] = caps
s["root"]["readonly"] = False
s["hostname"] = "berth-systemd"
s["mounts"] = [m for m in s["mounts"] if m["destination"] != "/sys/fs/cgroup"] + [
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
     "options": ["nosuid", "noexec", "nodev", "relatime", "rw"]},
    {"destination": "/run", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "nodev", "mode=755", "size=65536k"]},
    {"destination": "/run/lock", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "nodev", "noexec", "size=5120k"]},
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "nodev", "mode=1777"]},
]
if not any(n["type"] == "cgroup" for n in s["linux"]["namespaces"]):
    s["linux"]["namespaces"].append({"type": "cgroup"})
s["annotations"] = {"org.systemd.property.TimeoutStopUSec": "uint64 30000000"}
write("systemd", s)
