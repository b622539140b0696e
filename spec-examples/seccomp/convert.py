#!/usr/bin/env python3
"""convert.py - turn podman's default seccomp profile into an OCI bundle config.

podman (containers/common) ships /usr/share/containers/seccomp.json in its own
format: an "archMap" instead of "architectures", and per-entry "includes" /
"excludes" on capabilities and architectures. A runtime only takes the OCI
form (linux.seccomp of config.json), so the engine resolves those for one
architecture and one capability set. This script does what the engine does
(same rules as containers/common's seccomp.setupSeccomp) for the default
capability set below, and writes a complete config.json around it.

usage: convert.py [--profile /usr/share/containers/seccomp.json]
                  [--arch x86_64] > config.json

The committed config.json is this script's output for x86_64, from the
profile of Debian 12's golang-github-containers-common package.
"""
import argparse
import json
import sys

# podman's default capabilities (containers.conf default_capabilities).
DEFAULT_CAPS = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_NET_BIND_SERVICE",
    "CAP_SETFCAP",
    "CAP_SETGID",
    "CAP_SETPCAP",
    "CAP_SETUID",
    "CAP_SYS_CHROOT",
]

# uname -m -> (the profile's Go arch name, the OCI/libseccomp arch name)
ARCHES = {
    "x86_64": ("amd64", "SCMP_ARCH_X86_64"),
    "aarch64": ("arm64", "SCMP_ARCH_AARCH64"),
    "ppc64le": ("ppc64le", "SCMP_ARCH_PPC64LE"),
    "s390x": ("s390x", "SCMP_ARCH_S390X"),
    "riscv64": ("riscv64", "SCMP_ARCH_RISCV64"),
}


def architectures(profile, scmp_arch):
    for entry in profile.get("archMap") or []:
        if entry["architecture"] == scmp_arch:
            return [scmp_arch] + list(entry.get("subArchitectures") or [])
    return [scmp_arch]


def wanted(call, go_arch, caps):
    inc = call.get("includes") or {}
    exc = call.get("excludes") or {}
    if go_arch in (exc.get("arches") or []):
        return False
    if any(c in caps for c in exc.get("caps") or []):
        return False
    if inc.get("arches") and go_arch not in inc["arches"]:
        return False
    if any(c not in caps for c in inc.get("caps") or []):
        return False
    # minKernel entries would need the target kernel; none in this profile.
    if inc.get("minKernel") or exc.get("minKernel"):
        raise SystemExit("convert.py: minKernel conditions are not supported")
    return True


def oci_seccomp(profile, machine, caps):
    go_arch, scmp_arch = ARCHES[machine]
    out = {"defaultAction": profile["defaultAction"]}
    if "defaultErrnoRet" in profile:
        out["defaultErrnoRet"] = profile["defaultErrnoRet"]
    out["architectures"] = architectures(profile, scmp_arch)
    syscalls = []
    for call in profile["syscalls"]:
        if not wanted(call, go_arch, caps):
            continue
        names = call.get("names") or ([call["name"]] if call.get("name") else [])
        entry = {"names": names, "action": call["action"]}
        if call.get("args"):
            entry["args"] = [
                {k: a[k] for k in ("index", "value", "valueTwo", "op") if k in a}
                for a in call["args"]
            ]
        if "errnoRet" in call:
            entry["errnoRet"] = call["errnoRet"]
        syscalls.append(entry)
    out["syscalls"] = syscalls
    return out


def config(seccomp, caps):
    return {
        "ociVersion": "1.2.0",
        "process": {
            "terminal": False,
            "user": {"uid": 0, "gid": 0},
            "args": ["sh", "-c", "echo hello from a seccomp-confined container"],
            "env": [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "TERM=xterm",
            ],
            "cwd": "/",
            "capabilities": {k: list(caps) for k in ("bounding", "effective", "permitted")},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
            "noNewPrivileges": True,
        },
        "root": {"path": "rootfs", "readonly": True},
        "hostname": "seccomp",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {
                "destination": "/dev",
                "type": "tmpfs",
                "source": "tmpfs",
                "options": ["nosuid", "strictatime", "mode=755", "size=65536k"],
            },
            {
                "destination": "/dev/pts",
                "type": "devpts",
                "source": "devpts",
                "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"],
            },
            {
                "destination": "/dev/shm",
                "type": "tmpfs",
                "source": "shm",
                "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
            },
            {
                "destination": "/sys",
                "type": "sysfs",
                "source": "sysfs",
                "options": ["nosuid", "noexec", "nodev", "ro"],
            },
            {
                "destination": "/tmp",
                "type": "tmpfs",
                "source": "tmpfs",
                "options": ["nosuid", "nodev", "mode=1777"],
            },
        ],
        "linux": {
            "namespaces": [
                {"type": t} for t in ("pid", "network", "ipc", "uts", "mount", "cgroup")
            ],
            "maskedPaths": [
                "/proc/acpi",
                "/proc/asound",
                "/proc/kcore",
                "/proc/keys",
                "/proc/latency_stats",
                "/proc/timer_list",
                "/proc/timer_stats",
                "/proc/sched_debug",
                "/proc/scsi",
                "/sys/firmware",
                "/sys/devices/virtual/powercap",
            ],
            "readonlyPaths": [
                "/proc/bus",
                "/proc/fs",
                "/proc/irq",
                "/proc/sys",
                "/proc/sysrq-trigger",
            ],
            "seccomp": seccomp,
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="/usr/share/containers/seccomp.json")
    ap.add_argument("--arch", default="x86_64", choices=sorted(ARCHES))
    args = ap.parse_args()
    with open(args.profile) as f:
        profile = json.load(f)
    seccomp = oci_seccomp(profile, args.arch, DEFAULT_CAPS)
    json.dump(config(seccomp, DEFAULT_CAPS), sys.stdout, indent="\t")
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
