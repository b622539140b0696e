#!/usr/bin/env python3
"""cri-systemd.py - containerd's CRI plugin with SystemdCgroup = true, as the
kubelet drives it on a systemd host: a pod sandbox in a slice, a container
with limits from the request, exec, an update, stop and removal; the limits
are checked in the container's cgroup files and in systemd's unit, and no
unit may be left. Run in the systemd VM by systemd-tests.sh, once per
runtime handler (berth, runc). Reuses tests/clients/cri.py's client.

usage: cri-systemd.py --address SOCK --tmp DIR --handler NAME --image IMG
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "clients"))
import cri  # noqa: E402
import grpc  # noqa: E402


def unit_prop(unit, prop):
    r = subprocess.run(["systemctl", "show", "-P", prop, unit], capture_output=True, text=True)
    return r.stdout.strip()


def unit_exists(unit):
    r = subprocess.run(["systemctl", "list-units", "--all", "--plain", "--no-legend", unit],
                       capture_output=True, text=True)
    return bool(r.stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--address", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--handler", required=True)
    ap.add_argument("--image", required=True)
    args = ap.parse_args()
    pb = cri.load_messages(os.path.join(args.tmp, "py"))
    c = cri.Cri(args.address, pb)
    logdir = os.path.join(args.tmp, "logs-" + args.handler)
    os.makedirs(logdir, exist_ok=True)
    check = lambda what, cond, detail="": cri.check("%s: %s" % (args.handler, what), cond, detail)
    sandbox_id = None
    try:
        # The kubelet's systemd driver names pod cgroups as slices.
        parent = "berthtest-%s.slice" % args.handler
        sandbox_cfg = cri.pod_config(pb, "sd-pod-" + args.handler, logdir, parent)
        sandbox_id = c.rt("RunPodSandbox", pb.RunPodSandboxRequest(
            config=sandbox_cfg, runtime_handler=args.handler), timeout=120).pod_sandbox_id
        check("sandbox unit", unit_prop("cri-containerd-%s.scope" % sandbox_id, "ActiveState")
              == "active", sandbox_id[:12])
        ccfg = pb.ContainerConfig(
            metadata=pb.ContainerMetadata(name="c1"),
            image=pb.ImageSpec(image=args.image),
            command=["/bin/sh", "-c"],
            args=['trap "exit 0" TERM; while :; do sleep 0.2; done'],
            log_path="c1.log",
            linux=pb.LinuxContainerConfig(
                resources=pb.LinuxContainerResources(
                    memory_limit_in_bytes=64 << 20, cpu_period=100000, cpu_quota=50000)),
        )
        cid = c.rt("CreateContainer", pb.CreateContainerRequest(
            pod_sandbox_id=sandbox_id, config=ccfg, sandbox_config=sandbox_cfg)).container_id
        c.rt("StartContainer", pb.StartContainerRequest(container_id=cid))
        unit = "cri-containerd-%s.scope" % cid
        check("container unit in the pod's slice", unit_prop(unit, "Slice") == parent,
              unit_prop(unit, "Slice"))
        check("MemoryMax (systemctl)", unit_prop(unit, "MemoryMax") == "67108864",
              unit_prop(unit, "MemoryMax"))
        out = cri.exec_sync(c, pb, cid, ["cat", "/sys/fs/cgroup/memory.max",
                                         "/sys/fs/cgroup/cpu.max"])
        check("limits in the files", out.split() == ["67108864", "50000", "100000"], repr(out))
        c.rt("UpdateContainerResources", pb.UpdateContainerResourcesRequest(
            container_id=cid, linux=pb.LinuxContainerResources(
                memory_limit_in_bytes=128 << 20, cpu_period=100000, cpu_quota=20000)))
        out = cri.exec_sync(c, pb, cid, ["cat", "/sys/fs/cgroup/memory.max",
                                         "/sys/fs/cgroup/cpu.max"])
        check("limits after update", out.split() == ["134217728", "20000", "100000"], repr(out))
        check("MemoryMax after update", unit_prop(unit, "MemoryMax") == "134217728",
              unit_prop(unit, "MemoryMax"))
        c.rt("StopContainer", pb.StopContainerRequest(container_id=cid, timeout=10))
        s = cri.container_state(c, pb, cid)
        check("container exited 0", s.state == pb.CONTAINER_EXITED and s.exit_code == 0,
              "%s %d" % (s.reason, s.exit_code))
        c.rt("RemoveContainer", pb.RemoveContainerRequest(container_id=cid))
        c.rt("StopPodSandbox", pb.StopPodSandboxRequest(pod_sandbox_id=sandbox_id))
        c.rt("RemovePodSandbox", pb.RemovePodSandboxRequest(pod_sandbox_id=sandbox_id))
        for ident in (cid, sandbox_id):
            check("no unit for %s" % ident[:12], not unit_exists("cri-containerd-%s.scope" % ident))
        sandbox_id = None
        return 0
    except (cri.StepFailed, grpc.RpcError) as e:
        detail = e.details() if isinstance(e, grpc.RpcError) else str(e)
        print("FAIL-REASON: %s: %s" % (args.handler, detail), file=sys.stderr)
        return 1
    finally:
        if sandbox_id:
            cri.remove_pod(c, pb, sandbox_id, args.handler + ": ")


if __name__ == "__main__":
    sys.exit(main())
