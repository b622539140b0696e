#!/usr/bin/python3
"""tests/clients/cri.py: drive containerd's CRI plugin the way a kubelet does.

A small CRI v1 client (Debian's python3-grpcio; crictl is not packaged):
run a pod sandbox, create/start a container in it, exec sync, update its
resources, read stats, stop and remove everything, checking each effect inside
the container (cgroup files read through ExecSync) or on the host (runtime
state directory, cgroups). The runtime under test is containerd's default
runtime handler (BinaryName in its config.toml). It cleans up the sandbox
even when a step fails. Exits 0 when every step passed.

Usage: cri.py --address SOCK --tmp DIR --runtime-root DIR --cgroup-parent /P
"""

import argparse
import glob
import os
import subprocess
import sys
import uuid

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))


class StepFailed(Exception):
    pass


def load_messages(tmp):
    """Compile cri.proto with protoc into tmp and import the module."""
    os.makedirs(tmp, exist_ok=True)
    subprocess.run(
        ["protoc", "-I", HERE, "--python_out", tmp, os.path.join(HERE, "cri.proto")],
        check=True,
    )
    sys.path.insert(0, tmp)
    import cri_pb2  # noqa: E402  (generated just above)

    return cri_pb2


class Cri:
    """Unary CRI calls without generated stubs: method path + message types."""

    def __init__(self, address, pb):
        self.pb = pb
        self.channel = grpc.insecure_channel("unix://" + address)

    def call(self, service, method, request, timeout=60):
        resp_type = getattr(self.pb, method + "Response")
        fn = self.channel.unary_unary(
            "/runtime.v1.%s/%s" % (service, method),
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=resp_type.FromString,
        )
        return fn(request, timeout=timeout)

    def rt(self, method, request, timeout=60):
        return self.call("RuntimeService", method, request, timeout)


def check(what, cond, detail=""):
    if not cond:
        raise StepFailed("%s %s" % (what, detail))
    print("ok: %s %s" % (what, detail))


def exec_sync(cri, pb, cid, cmd, want_rc=0):
    r = cri.rt("ExecSync", pb.ExecSyncRequest(container_id=cid, cmd=cmd, timeout=20))
    out = r.stdout.decode().strip()
    check("exec %s exit %d" % (cmd, want_rc), r.exit_code == want_rc,
          "(got %d, stdout %r, stderr %r)" % (r.exit_code, out, r.stderr.decode()))
    return out


def container_state(cri, pb, cid):
    return cri.rt("ContainerStatus", pb.ContainerStatusRequest(container_id=cid)).status


def pod_config(pb, name, logdir, cgroup_parent):
    """A pod as a kubelet asks for one: the node's network (hence its UTS
    namespace, so no hostname), a pid namespace per container, a shared IPC."""
    return pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name=name, uid=str(uuid.uuid4()), namespace="default"),
        log_directory=logdir,
        linux=pb.LinuxPodSandboxConfig(
            cgroup_parent=cgroup_parent,
            security_context=pb.LinuxSandboxSecurityContext(
                namespace_options=pb.NamespaceOption(
                    network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD))),
    )


def remove_pod(cri, pb, sandbox_id, prefix=""):
    """Stop and remove a pod left by a failed step; what fails is said."""
    for method, req in (
        ("StopPodSandbox", pb.StopPodSandboxRequest(pod_sandbox_id=sandbox_id)),
        ("RemovePodSandbox", pb.RemovePodSandboxRequest(pod_sandbox_id=sandbox_id)),
    ):
        try:
            cri.rt(method, req)
        except grpc.RpcError as e:
            print("%scleanup %s: %s" % (prefix, method, e.details()), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--address", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--runtime-root", required=True)
    ap.add_argument("--cgroup-parent", required=True)
    args = ap.parse_args()

    pb = load_messages(os.path.join(args.tmp, "py"))
    cri = Cri(args.address, pb)
    logdir = os.path.join(args.tmp, "logs")
    os.makedirs(logdir, exist_ok=True)

    sandbox_id = None
    cid = None
    try:
        v = cri.rt("Version", pb.VersionRequest(version="v1"))
        check("CRI version", v.runtime_name == "containerd", v.runtime_version)
        img = cri.call("ImageService", "ImageStatus",
                       pb.ImageStatusRequest(image=pb.ImageSpec(image="localhost/bbox:test")))
        check("image present in k8s.io", img.image.id != "", img.image.id[:19])

        sandbox_cfg = pod_config(pb, "clients-pod", logdir, args.cgroup_parent)
        sandbox_id = cri.rt("RunPodSandbox", pb.RunPodSandboxRequest(config=sandbox_cfg),
                            timeout=120).pod_sandbox_id
        st = cri.rt("PodSandboxStatus", pb.PodSandboxStatusRequest(pod_sandbox_id=sandbox_id))
        check("sandbox ready", st.status.state == pb.SANDBOX_READY, sandbox_id[:12])

        ccfg = pb.ContainerConfig(
            metadata=pb.ContainerMetadata(name="c1"),
            image=pb.ImageSpec(image="localhost/bbox:test"),
            command=["/bin/sh", "-c"],
            args=['trap "echo got-term; exit 0" TERM; echo started; '
                  "while :; do sleep 0.2; done"],
            working_dir="/tmp",
            envs=[pb.KeyValue(key="CRI_VAR", value="cri-value")],
            log_path="c1.log",
            linux=pb.LinuxContainerConfig(
                resources=pb.LinuxContainerResources(
                    memory_limit_in_bytes=64 << 20, cpu_period=100000, cpu_quota=50000)),
        )
        cid = cri.rt("CreateContainer", pb.CreateContainerRequest(
            pod_sandbox_id=sandbox_id, config=ccfg, sandbox_config=sandbox_cfg)).container_id
        check("container created", container_state(cri, pb, cid).state == pb.CONTAINER_CREATED,
              cid[:12])
        cri.rt("StartContainer", pb.StartContainerRequest(container_id=cid))
        check("container running", container_state(cri, pb, cid).state == pb.CONTAINER_RUNNING)

        out = exec_sync(cri, pb, cid, ["sh", "-c", 'echo "$CRI_VAR|$(pwd)"'])
        check("env and workdir", out == "cri-value|/tmp", repr(out))
        out = exec_sync(cri, pb, cid, ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                       "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"])
        check("limits at create", out.split() == ["67108864", "50000"], repr(out))
        exec_sync(cri, pb, cid, ["sh", "-c", "exit 3"], want_rc=3)

        cri.rt("UpdateContainerResources", pb.UpdateContainerResourcesRequest(
            container_id=cid, linux=pb.LinuxContainerResources(
                memory_limit_in_bytes=128 << 20, cpu_period=100000, cpu_quota=20000)))
        out = exec_sync(cri, pb, cid, ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                       "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"])
        check("limits after update", out.split() == ["134217728", "20000"], repr(out))

        stats = cri.rt("ContainerStats", pb.ContainerStatsRequest(container_id=cid)).stats
        check("stats: memory working set", stats.memory.working_set_bytes.value > 0,
              str(stats.memory.working_set_bytes.value))
        check("stats: cpu usage", stats.cpu.usage_core_nano_seconds.value > 0,
              str(stats.cpu.usage_core_nano_seconds.value))

        cri.rt("StopContainer", pb.StopContainerRequest(container_id=cid, timeout=10))
        s = container_state(cri, pb, cid)
        check("container exited", s.state == pb.CONTAINER_EXITED, s.reason)
        check("SIGTERM handled (exit 0)", s.exit_code == 0, "exit %d" % s.exit_code)
        with open(os.path.join(logdir, "c1.log")) as f:
            log = f.read()
        check("container log", "started" in log and "got-term" in log, repr(log[-120:]))

        cri.rt("RemoveContainer", pb.RemoveContainerRequest(container_id=cid))
        cri.rt("StopPodSandbox", pb.StopPodSandboxRequest(pod_sandbox_id=sandbox_id))
        cri.rt("RemovePodSandbox", pb.RemovePodSandboxRequest(pod_sandbox_id=sandbox_id))
        for ident in (cid, sandbox_id):
            left = os.path.exists(os.path.join(args.runtime_root, "k8s.io", ident))
            check("no runtime state for %s" % ident[:12], not left)
            left = glob.glob("/sys/fs/cgroup/*%s/%s" % (args.cgroup_parent, ident))
            check("no cgroup for %s" % ident[:12], not left, " ".join(left))
        sandbox_id = None
        return 0
    except (StepFailed, grpc.RpcError) as e:
        detail = e.details() if isinstance(e, grpc.RpcError) else str(e)
        print("FAIL-REASON: %s" % detail, file=sys.stderr)
        return 1
    finally:
        if sandbox_id:
            remove_pod(cri, pb, sandbox_id)
        # The pod's parent cgroup is ours alone: remove it where it is empty.
        for ctl in os.listdir("/sys/fs/cgroup"):
            d = "/sys/fs/cgroup/%s%s" % (ctl, args.cgroup_parent)
            if os.path.isdir(d):
                try:
                    os.rmdir(d)
                except OSError:
                    pass


if __name__ == "__main__":
    sys.exit(main())
