/* test_config.c - the config.json parser: the OCI conformance documents,
 * the repo's spec-examples, every field read into the model, one rejected
 * input per validation rule (each message must name the JSON path), and
 * parse time growing linearly with the document. */
#include <check.h>
#include <dirent.h>
#include <glob.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <time.h>

#include "libcontainer/config/config.h"
#include "libcontainer/config/config_json.h"
#include "libcontainer/config/config_tables.h"

static const char *shared_dir(void)
{
	const char *env = getenv("BERTH_SHARED_DIR");

	struct stat st;

	if (env && *env)
		return env;
	/* beside the checkout, as in CI; else the workplace's copy (the same
	 * order as tests/integration/helpers.bash) */
	if (stat(SOURCE_ROOT "/../shared/oci-runtime-spec", &st) == 0)
		return SOURCE_ROOT "/../shared";
	return "/work/shared";
}

static struct berth_spec *parse_str(const char *doc, struct berth_error *err)
{
	berr_clear(err);
	return berth_spec_parse(doc, strlen(doc), err);
}

/* ---- the conformance documents ---- */

static size_t for_each_json(const char *dir, void (*fn)(const char *path, const char *name))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	ck_assert_msg(d != NULL, "cannot open %s (set BERTH_SHARED_DIR?)", dir);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[4096];

		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		int w = snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ck_assert(w > 0 && (size_t)w < sizeof(path));
		fn(path, e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void expect_good(const char *path, const char *name)
{
	struct berth_error err = {0};
	struct berth_spec *s = berth_spec_load(path, &err);

	(void)name;
	ck_assert_msg(s != NULL, "%s rejected: %s", path, err.msg);
	ck_assert_ptr_nonnull(s->oci_version);
	berth_spec_free(s);
}

START_TEST(test_good_documents)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/oci-runtime-spec/test/config/good", shared_dir());
	ck_assert_uint_ge(for_each_json(dir, expect_good), 5);
}
END_TEST

/* What each bad document's message must name. */
static const struct {
	const char *file;
	const char *needle;
} bad_expect[] = {
    {"freebsd-vnet-disable.json", "freebsd.jail.vnet: "},
    {"invalid-json.json", "invalid JSON at line 1"},
    {"linux-hugepage.json", "linux.resources.hugepageLimits[0].pageSize: \"64kB\""},
    {"linux-netdevice.json", "linux.netDevices.eth0.name: expected a string, got 23"},
    {"linux-rdma.json", "linux.resources.rdma.mlx5_1.hcaHandles: expected a non-negative "
			"integer, got \"not a uint32\""},
};

static void expect_bad(const char *path, const char *name)
{
	struct berth_error err = {0};
	struct berth_spec *s = berth_spec_load(path, &err);
	const char *needle = ": "; /* a new bad document: at least "path: problem" */

	ck_assert_msg(s == NULL, "%s accepted", path);
	for (size_t i = 0; i < sizeof(bad_expect) / sizeof(bad_expect[0]); i++)
		if (strcmp(bad_expect[i].file, name) == 0)
			needle = bad_expect[i].needle;
	ck_assert_msg(strstr(err.msg, needle), "%s: message \"%s\" lacks \"%s\"", name, err.msg,
		      needle);
	/* berth_spec_load names the file first. */
	ck_assert_msg(strncmp(err.msg, path, strlen(path)) == 0, "%s", err.msg);
}

START_TEST(test_bad_documents)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/oci-runtime-spec/test/config/bad", shared_dir());
	ck_assert_uint_ge(for_each_json(dir, expect_bad), 5);
}
END_TEST

START_TEST(test_spec_examples)
{
	glob_t g;
	int rc = glob(SOURCE_ROOT "/spec-examples/*/config.json", 0, NULL, &g);

	if (rc == GLOB_NOMATCH) {
		printf("test_spec_examples: skipped: no spec-examples/*/config.json yet\n");
		return;
	}
	ck_assert_int_eq(rc, 0);
	for (size_t i = 0; i < g.gl_pathc; i++)
		expect_good(g.gl_pathv[i], NULL);
	printf("test_spec_examples: %zu documents parsed\n", g.gl_pathc);
	globfree(&g);
}
END_TEST

START_TEST(test_load_errors)
{
	struct berth_error err = {0};

	ck_assert_ptr_null(berth_spec_load("/nonexistent/config.json", &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/config.json"));
	ck_assert_int_ne(err.errnum, 0);
	ck_assert_ptr_null(berth_spec_load("/", &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	/* the size cap (docs/strictness.md), checked before a byte is read */
	ck_assert_ptr_null(berth_spec_parse("{}", (size_t)CJ_MAX_DOC_BYTES + 1, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "document is larger than 67108864 bytes"));
}
END_TEST

/* ---- every field into the model ---- */

static const char full_doc[] =
    "{\"ociVersion\":\"1.3.0\","
    "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
    "\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\","
    "\"options\":[\"nosuid\",\"noexec\"],\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,"
    "\"size\":10}],\"gidMappings\":[{\"containerID\":1,\"hostID\":2000,\"size\":20}]},"
    "{\"destination\":\"/data\",\"options\":[\"rbind\"],\"source\":\"/srv\"}],"
    "\"process\":{\"terminal\":true,\"consoleSize\":{\"height\":24,\"width\":80},"
    "\"user\":{\"uid\":1,\"gid\":2,\"umask\":18,\"additionalGids\":[5,6],\"username\":\"u\"},"
    "\"args\":[\"sh\",\"-c\",\"true\"],\"env\":[\"PATH=/bin\",\"TERM=xterm\"],\"cwd\":\"/tmp\","
    "\"capabilities\":{\"bounding\":[\"CAP_KILL\"],\"effective\":[\"CAP_KILL\",\"CAP_CHOWN\"],"
    "\"inheritable\":[],\"permitted\":[\"CAP_KILL\"],\"ambient\":[\"CAP_NET_RAW\"]},"
    "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1024,\"hard\":4096},"
    "{\"type\":\"RLIMIT_CORE\",\"soft\":18446744073709551615,\"hard\":18446744073709551615}],"
    "\"noNewPrivileges\":true,\"apparmorProfile\":\"prof\",\"oomScoreAdj\":-500,"
    "\"selinuxLabel\":\"lbl\",\"ioPriority\":{\"class\":\"IOPRIO_CLASS_IDLE\",\"priority\":7},"
    "\"scheduler\":{\"policy\":\"SCHED_DEADLINE\",\"nice\":-5,\"priority\":3,"
    "\"flags\":[\"SCHED_FLAG_RESET_ON_FORK\",\"SCHED_FLAG_RECLAIM\"],\"runtime\":100,"
    "\"deadline\":200,\"period\":300},"
    "\"execCPUAffinity\":{\"initial\":\"0-1\",\"final\":\"2, 3\"}},"
    "\"hostname\":\"h\",\"domainname\":\"d\","
    "\"hooks\":{\"prestart\":[{\"path\":\"/p\"}],\"createRuntime\":[{\"path\":\"/cr\","
    "\"args\":[\"cr\",\"x\"],\"env\":[\"A=B\"],\"timeout\":5}],\"createContainer\":[{\"path\":"
    "\"/cc\"}],\"startContainer\":[{\"path\":\"/sc\"}],\"poststart\":[{\"path\":\"/ps\"},"
    "{\"path\":\"/ps2\"}],\"poststop\":[{\"path\":\"/pt\"}]},"
    "\"annotations\":{\"b\":\"2\",\"a\":\"1\"},"
    "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":"
    "\"/var/run/netns/x\"},{\"type\":\"mount\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
    "{\"type\":\"user\"},{\"type\":\"cgroup\"},{\"type\":\"time\"}],"
    "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
    "\"gidMappings\":[{\"containerID\":0,\"hostID\":200000,\"size\":65536}],"
    "\"timeOffsets\":{\"boottime\":{\"secs\":-10,\"nanosecs\":5},\"monotonic\":{\"secs\":7}},"
    "\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229,"
    "\"fileMode\":438,\"uid\":0,\"gid\":5},{\"path\":\"/dev/fifo\",\"type\":\"p\"}],"
    "\"netDevices\":{\"eth0\":{\"name\":\"ceth0\"},\"ens4\":{}},"
    "\"cgroupsPath\":\"/a/b\","
    "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,"
    "\"type\":\"c\",\"major\":1,\"minor\":-1,\"access\":\"wxRr \"}],"
    "\"memory\":{\"limit\":536870912,\"reservation\":1,\"swap\":-1,\"kernel\":2,"
    "\"kernelTCP\":3,\"swappiness\":60,\"disableOOMKiller\":true,\"useHierarchy\":false,"
    "\"checkBeforeUpdate\":true},"
    "\"cpu\":{\"shares\":1024,\"quota\":200000,\"burst\":1000,\"period\":100000,"
    "\"realtimeRuntime\":-1,\"realtimePeriod\":5,\"cpus\":\"0-3\",\"mems\":\"0\",\"idle\":1},"
    "\"pids\":{\"limit\":-1},"
    "\"blockIO\":{\"weight\":10,\"leafWeight\":20,\"weightDevice\":[{\"major\":8,\"minor\":0,"
    "\"weight\":500}],\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":1,\"rate\":600}],"
    "\"throttleWriteBpsDevice\":[{\"major\":8,\"minor\":2,\"rate\":601}],"
    "\"throttleReadIOPSDevice\":[{\"major\":8,\"minor\":3,\"rate\":602}],"
    "\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":4,\"rate\":603}]},"
    "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":9223372036854772000}],"
    "\"network\":{\"classID\":1048577,\"priorities\":[{\"name\":\"eth0\",\"priority\":500}]},"
    "\"rdma\":{\"mlx5_1\":{\"hcaHandles\":3,\"hcaObjects\":10000},\"rxe3\":{\"hcaObjects\":1}},"
    "\"unified\":{\"memory.high\":\"100000\",\"io.max\":\"8:0 rbps=1\"}},"
    "\"intelRdt\":{\"closID\":\"g\",\"schemata\":[\"L3:0=7f0\"],\"l3CacheSchema\":\"L3:0=f\","
    "\"memBwSchema\":\"MB:0=20\",\"enableMonitoring\":true},"
    "\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"},"
    "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
    "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
    "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],"
    "\"listenerPath\":\"/run/agent.sock\",\"listenerMetadata\":\"meta\","
    "\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
    "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,\"args\":["
    "{\"index\":0,\"value\":18446744073709551615,\"valueTwo\":4,\"op\":\"SCMP_CMP_MASKED_EQ\"},"
    "{\"index\":5,\"value\":0,\"op\":\"SCMP_CMP_NE\"}]}]},"
    "\"rootfsPropagation\":\"slave\"}}";

static struct berth_spec *parse_full(void)
{
	struct berth_error err = {0};
	struct berth_spec *s = berth_spec_parse(full_doc, strlen(full_doc), &err);

	ck_assert_msg(s != NULL, "%s", err.msg);
	return s;
}

START_TEST(test_full_top_and_process)
{
	struct berth_spec *s = parse_full();
	struct berth_process *p = &s->process;

	ck_assert_str_eq(s->oci_version, "1.3.0");
	ck_assert_str_eq(s->root.path, "rootfs");
	ck_assert(s->root.readonly);
	ck_assert_uint_eq(s->n_mounts, 2);
	ck_assert_str_eq(s->mounts[0].destination, "/proc");
	ck_assert_str_eq(s->mounts[0].type, "proc");
	ck_assert_uint_eq(s->mounts[0].n_options, 2);
	ck_assert_ptr_null(s->mounts[0].options[2]); /* NULL-terminated */
	ck_assert_uint_eq(s->mounts[0].uid_mappings[0].host_id, 1000);
	ck_assert_uint_eq(s->mounts[0].gid_mappings[0].size, 20);
	ck_assert_ptr_null(s->mounts[1].type);
	ck_assert_str_eq(s->hostname, "h");
	ck_assert_str_eq(s->domainname, "d");
	ck_assert_uint_eq(s->n_annotations, 2);
	ck_assert_str_eq(s->annotations[0].key, "b"); /* document order kept */
	ck_assert_str_eq(s->annotations[1].value, "1");
	ck_assert_uint_eq(s->hooks.prestart.n, 1);
	ck_assert_uint_eq(s->hooks.create_runtime.hooks[0].n_args, 2);
	ck_assert(s->hooks.create_runtime.hooks[0].has_timeout);
	ck_assert_int_eq(s->hooks.create_runtime.hooks[0].timeout, 5);
	ck_assert_str_eq(s->hooks.create_runtime.hooks[0].env[0], "A=B");
	ck_assert_str_eq(s->hooks.create_container.hooks[0].path, "/cc");
	ck_assert_str_eq(s->hooks.start_container.hooks[0].path, "/sc");
	ck_assert_uint_eq(s->hooks.poststart.n, 2);
	ck_assert_str_eq(s->hooks.poststop.hooks[0].path, "/pt");
	ck_assert(!s->hooks.poststop.hooks[0].has_timeout);

	ck_assert(s->has_process);
	ck_assert(p->terminal);
	ck_assert(p->has_console_size);
	ck_assert_uint_eq(p->console_height, 24);
	ck_assert_uint_eq(p->console_width, 80);
	ck_assert_uint_eq(p->user.uid, 1);
	ck_assert_uint_eq(p->user.gid, 2);
	ck_assert(p->user.has_umask);
	ck_assert_uint_eq(p->user.umask, 022);
	ck_assert_uint_eq(p->user.n_additional_gids, 2);
	ck_assert_uint_eq(p->user.additional_gids[1], 6);
	ck_assert_str_eq(p->user.username, "u");
	ck_assert_uint_eq(p->n_args, 3);
	ck_assert_ptr_null(p->args[3]);
	ck_assert_str_eq(p->env[1], "TERM=xterm");
	ck_assert_str_eq(p->cwd, "/tmp");
	ck_assert(p->capabilities.present);
	ck_assert_uint_eq(p->capabilities.n_effective, 2);
	ck_assert_uint_eq(p->capabilities.n_inheritable, 0);
	ck_assert_str_eq(p->capabilities.ambient[0], "CAP_NET_RAW");
	ck_assert_uint_eq(p->n_rlimits, 2);
	ck_assert_int_eq(p->rlimits[0].resource, RLIMIT_NOFILE);
	ck_assert_uint_eq(p->rlimits[0].soft, 1024);
	ck_assert_int_eq(p->rlimits[1].resource, RLIMIT_CORE);
	ck_assert(p->rlimits[1].hard == UINT64_MAX); /* RLIM_INFINITY survives */
	ck_assert(p->no_new_privileges);
	ck_assert_str_eq(p->apparmor_profile, "prof");
	ck_assert(p->has_oom_score_adj);
	ck_assert_int_eq(p->oom_score_adj, -500);
	ck_assert_str_eq(p->selinux_label, "lbl");
	ck_assert(p->io_priority.present);
	ck_assert_int_eq(p->io_priority.class_value, 3);
	ck_assert_int_eq(p->io_priority.priority, 7);
	ck_assert(p->scheduler.present);
	ck_assert_int_eq(p->scheduler.policy_value, 6);
	ck_assert_int_eq(p->scheduler.nice, -5);
	ck_assert(p->scheduler.has_priority);
	ck_assert_uint_eq(p->scheduler.flags_value, 0x03);
	ck_assert_uint_eq(p->scheduler.deadline, 200);
	ck_assert(p->scheduler.has_period);
	ck_assert_str_eq(p->exec_cpu_affinity.initial, "0-1");
	ck_assert_str_eq(p->exec_cpu_affinity.final, "2, 3");
	berth_spec_free(s);
}
END_TEST

START_TEST(test_full_linux)
{
	struct berth_spec *s = parse_full();
	struct berth_linux *l = &s->linux_;

	ck_assert(s->has_linux);
	ck_assert_uint_eq(l->n_namespaces, 8);
	ck_assert_int_eq(l->namespaces[7].type, BERTH_NS_TIME);
	ck_assert_str_eq(berth_spec_namespace(s, BERTH_NS_NETWORK)->path, "/var/run/netns/x");
	ck_assert_ptr_null(berth_spec_namespace(s, BERTH_NS_PID)->path);
	ck_assert_uint_eq(l->uid_mappings[0].host_id, 100000);
	ck_assert_uint_eq(l->gid_mappings[0].host_id, 200000);
	ck_assert(l->time_boottime.present);
	ck_assert_int_eq(l->time_boottime.secs, -10);
	ck_assert_uint_eq(l->time_boottime.nanosecs, 5);
	ck_assert_int_eq(l->time_monotonic.secs, 7);
	ck_assert_uint_eq(l->n_devices, 2);
	ck_assert_int_eq(l->devices[0].type, 'c');
	ck_assert_int_eq(l->devices[0].minor, 229);
	ck_assert(l->devices[0].has_file_mode);
	ck_assert_uint_eq(l->devices[0].gid, 5);
	ck_assert_int_eq(l->devices[1].type, 'p');
	ck_assert(!l->devices[1].has_uid);
	ck_assert_uint_eq(l->n_net_devices, 2);
	ck_assert_str_eq(l->net_devices[0].host_name, "eth0");
	ck_assert_str_eq(l->net_devices[0].name, "ceth0");
	ck_assert_ptr_null(l->net_devices[1].name);
	ck_assert_str_eq(l->cgroups_path, "/a/b");
	ck_assert_str_eq(l->intel_rdt.clos_id, "g");
	ck_assert_str_eq(l->intel_rdt.schemata[0], "L3:0=7f0");
	ck_assert_str_eq(l->intel_rdt.mem_bw_schema, "MB:0=20");
	ck_assert(l->intel_rdt.enable_monitoring);
	ck_assert_str_eq(l->sysctl[0].key, "net.ipv4.ip_forward");
	ck_assert_str_eq(l->rootfs_propagation, "slave");
	ck_assert_uint_eq(l->rootfs_propagation_value, MS_SLAVE);

	struct berth_seccomp *sc = &l->seccomp;
	ck_assert(sc->present);
	ck_assert_int_eq(sc->default_action, BERTH_SCMP_ACT_ERRNO);
	ck_assert_uint_eq(sc->default_errno_ret, 38);
	ck_assert_uint_eq(sc->n_architectures, 2);
	ck_assert_uint_eq(sc->flags_value, 2 | 4);
	ck_assert_str_eq(sc->listener_path, "/run/agent.sock");
	ck_assert_str_eq(sc->listener_metadata, "meta");
	ck_assert_uint_eq(sc->n_syscalls, 2);
	ck_assert_str_eq(sc->syscalls[0].names[1], "write");
	ck_assert_int_eq(sc->syscalls[1].action, BERTH_SCMP_ACT_ERRNO);
	ck_assert_uint_eq(sc->syscalls[1].errno_ret, 1);
	ck_assert(sc->syscalls[1].args[0].value == UINT64_MAX);
	ck_assert_uint_eq(sc->syscalls[1].args[0].value_two, 4);
	ck_assert_int_eq(sc->syscalls[1].args[0].op, BERTH_SCMP_CMP_MASKED_EQ);
	ck_assert_uint_eq(sc->syscalls[1].args[1].index, 5);
	berth_spec_free(s);
}
END_TEST

START_TEST(test_full_resources)
{
	struct berth_spec *s = parse_full();
	struct berth_resources *r = &s->linux_.resources;

	ck_assert(r->present);
	ck_assert_uint_eq(r->n_devices, 2);
	ck_assert(!r->devices[0].allow);
	ck_assert_int_eq(r->devices[0].type, 'a');
	ck_assert(!r->devices[0].has_major);
	ck_assert(r->devices[1].has_major);
	ck_assert(!r->devices[1].has_minor);	      /* -1 means any */
	ck_assert_str_eq(r->devices[1].access, "rw"); /* from "wxRr ": other letters ignored */
	ck_assert(r->memory.present);
	ck_assert_int_eq(r->memory.limit, 536870912);
	ck_assert_int_eq(r->memory.swap, -1);
	ck_assert_int_eq(r->memory.kernel_tcp, 3);
	ck_assert_uint_eq(r->memory.swappiness, 60);
	ck_assert(r->memory.has_disable_oom_killer && r->memory.disable_oom_killer);
	ck_assert(r->memory.has_use_hierarchy && !r->memory.use_hierarchy);
	ck_assert(r->memory.check_before_update);
	ck_assert_uint_eq(r->cpu.shares, 1024);
	ck_assert_int_eq(r->cpu.quota, 200000);
	ck_assert_uint_eq(r->cpu.burst, 1000);
	ck_assert_int_eq(r->cpu.realtime_runtime, -1);
	ck_assert_str_eq(r->cpu.cpus, "0-3");
	ck_assert(r->cpu.has_idle);
	ck_assert(r->has_pids_limit);
	ck_assert_int_eq(r->pids_limit, -1);
	ck_assert_uint_eq(r->block_io.weight, 10);
	ck_assert_uint_eq(r->block_io.weight_devices[0].weight, 500);
	ck_assert(!r->block_io.weight_devices[0].has_leaf_weight);
	ck_assert_uint_eq(r->block_io.throttle_read_bps[0].rate, 600);
	ck_assert_uint_eq(r->block_io.throttle_write_bps[0].minor, 2);
	ck_assert_uint_eq(r->block_io.throttle_read_iops[0].rate, 602);
	ck_assert_uint_eq(r->block_io.throttle_write_iops[0].rate, 603);
	ck_assert_str_eq(r->hugepage_limits[0].page_size, "2MB");
	ck_assert_uint_eq(r->hugepage_limits[0].limit, 9223372036854772000ULL);
	ck_assert_uint_eq(r->network.class_id, 1048577);
	ck_assert_str_eq(r->network.priorities[0].name, "eth0");
	ck_assert_uint_eq(r->n_rdma, 2);
	ck_assert_str_eq(r->rdma[0].device, "mlx5_1");
	ck_assert_uint_eq(r->rdma[0].hca_handles, 3);
	ck_assert(!r->rdma[1].has_hca_handles);
	ck_assert_uint_eq(r->n_unified, 2);
	ck_assert_str_eq(r->unified[1].value, "8:0 rbps=1");
	berth_spec_free(s);
}
END_TEST

START_TEST(test_linux_extras)
{
	struct berth_error err = {0};
	struct berth_spec *s = parse_str(
	    "{\"ociVersion\":\"1.0.2-dev\",\"linux\":{\"personality\":{\"domain\":\"LINUX32\","
	    "\"flags\":[]},\"memoryPolicy\":{\"mode\":\"MPOL_BIND\",\"nodes\":\"0-1\",\"flags\":["
	    "\"MPOL_F_STATIC_NODES\"]},\"rootfsPropagation\":\"rslave\",\"resources\":{\"memory\":{"
	    "\"swappiness\":"
	    "18446744073709551615}},\"sysctl\":null,\"cgroupsPath\":null}}",
	    &err);

	ck_assert_msg(s != NULL, "%s", err.msg);
	ck_assert(s->linux_.personality.present);
	ck_assert_uint_eq(s->linux_.personality.domain_value, PER_LINUX32);
	ck_assert_int_eq(s->linux_.memory_policy.mode_value, 2);
	ck_assert_uint_eq(s->linux_.memory_policy.flags_value, 1u << 15);
	ck_assert_str_eq(s->linux_.memory_policy.nodes, "0-1");
	ck_assert_uint_eq(s->linux_.rootfs_propagation_value, MS_REC | MS_SLAVE);
	/* Docker's "-1 as uint64" swappiness means unset. */
	ck_assert(s->linux_.resources.memory.present);
	ck_assert(!s->linux_.resources.memory.has_swappiness);
	ck_assert_ptr_null(s->linux_.cgroups_path); /* null is absent */
	ck_assert(!s->has_process);
	ck_assert_ptr_null(berth_spec_namespace(s, BERTH_NS_PID));
	berth_spec_free(s);
}
END_TEST

/* ---- one rejected input per rule ---- */

#include "test_config_cases.h"
#include "unit_run.h"

START_TEST(test_bad_case)
{
	struct berth_error err = {0};
	const char *doc = bad_cases[_i].doc;
	struct berth_spec *s = parse_str(doc, &err);

	ck_assert_msg(s == NULL, "case %d accepted: %s", _i, doc);
	ck_assert_msg(strstr(err.msg, bad_cases[_i].needle),
		      "case %d: message \"%s\" lacks \"%s\" (doc %s)", _i, err.msg,
		      bad_cases[_i].needle, doc);
}
END_TEST

/* ---- process.json for exec -p ---- */

START_TEST(test_process_parse)
{
	struct berth_error err = {0};
	const char *ok = "{\"args\":[\"ls\",\"-l\"],\"cwd\":\"/srv\",\"env\":[\"A=1\"],"
			 "\"user\":{\"uid\":7,\"gid\":8},\"terminal\":false,"
			 "\"rlimits\":[{\"type\":\"RLIMIT_NPROC\",\"soft\":5,\"hard\":6}],"
			 "\"ioPriority\":{\"class\":\"IOPRIO_CLASS_RT\"}}";
	struct berth_process *p = berth_process_parse(ok, strlen(ok), &err);

	ck_assert_msg(p != NULL, "%s", err.msg);
	ck_assert_str_eq(p->args[1], "-l");
	ck_assert_ptr_null(p->args[2]);
	ck_assert_str_eq(p->cwd, "/srv");
	ck_assert_uint_eq(p->user.uid, 7);
	ck_assert_int_eq(p->rlimits[0].resource, RLIMIT_NPROC);
	ck_assert_int_eq(p->io_priority.class_value, 1);
	ck_assert_int_eq(p->io_priority.priority, 0);
	berth_process_free(p);

	const char *bad = "{\"args\":[\"ls\"],\"cwd\":\"srv\",\"user\":{\"uid\":7,\"gid\":8}}";
	ck_assert_ptr_null(berth_process_parse(bad, strlen(bad), &err));
	ck_assert_str_eq(err.msg, "cwd: must be an absolute path, got \"srv\"");
	/* As runc: no user object means uid 0 and gid 0, a missing gid 0 */
	const char *nouser = "{\"args\":[\"ls\"],\"cwd\":\"/\"}";
	p = berth_process_parse(nouser, strlen(nouser), &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	ck_assert_uint_eq(p->user.uid, 0);
	ck_assert_uint_eq(p->user.gid, 0);
	berth_process_free(p);
	const char *nogid = "{\"args\":[\"ls\"],\"cwd\":\"/\",\"user\":{\"uid\":9}}";
	p = berth_process_parse(nogid, strlen(nogid), &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	ck_assert_uint_eq(p->user.uid, 9);
	ck_assert_uint_eq(p->user.gid, 0);
	berth_process_free(p);
	const char *nouid = "{\"args\":[\"ls\"],\"cwd\":\"/\",\"user\":{\"gid\":9}}";
	ck_assert_ptr_null(berth_process_parse(nouid, strlen(nouid), &err));
	ck_assert_str_eq(err.msg, "user.uid: required field is missing");
	ck_assert_ptr_null(berth_process_parse("[1]", 3, &err));
	ck_assert_ptr_null(berth_process_parse(NULL, 0, &err));
	berth_process_free(NULL);
	berth_spec_free(NULL);
}
END_TEST

/* ---- tables and lookups ---- */

START_TEST(test_tables)
{
	const struct cfg_table *all[] = {
	    &cfg_namespace_types, &cfg_rlimits,		&cfg_sched_policies, &cfg_sched_flags,
	    &cfg_ioprio_classes,  &cfg_seccomp_actions, &cfg_seccomp_ops,    &cfg_seccomp_arches,
	    &cfg_seccomp_flags,	  &cfg_propagations,	&cfg_personalities,  &cfg_mpol_modes,
	    &cfg_mpol_flags,	  &cfg_freebsd_sharing,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ck_assert_msg(cfg_table_sorted(all[i]), "%s table is not sorted", all[i]->what);
		for (size_t j = 0; j < all[i]->n; j++)
			ck_assert_ptr_eq(cfg_lookup(all[i], all[i]->entries[j].name),
					 &all[i]->entries[j]);
		ck_assert_ptr_null(cfg_lookup(all[i], "NOPE"));
	}
	ck_assert_uint_eq(cfg_rlimits.n, 16);
	ck_assert_uint_eq(cfg_namespace_types.n, BERTH_NS__COUNT);
	for (int t = 0; t < BERTH_NS__COUNT; t++) {
		const struct cfg_name_value *e =
		    cfg_lookup(&cfg_namespace_types, berth_ns_type_name(t));
		ck_assert_ptr_nonnull(e);
		ck_assert_int_eq(e->value, t);
		ck_assert_int_ne(berth_ns_clone_flag(t), 0);
	}
	ck_assert_int_eq(berth_ns_clone_flag(BERTH_NS_USER), CLONE_NEWUSER);
	ck_assert_int_eq(berth_ns_clone_flag(BERTH_NS_MOUNT), CLONE_NEWNS);
	ck_assert_int_eq(berth_ns_clone_flag(BERTH_NS_TIME), 0x80);
	ck_assert_str_eq(berth_ns_type_name(BERTH_NS_NETWORK), "network");
	ck_assert_ptr_null(berth_ns_type_name(BERTH_NS__COUNT));
	ck_assert_int_eq(berth_ns_clone_flag(BERTH_NS__COUNT), 0);
}
END_TEST

/* ---- speed: the parser is on the container-start path ---- */

static char *big_doc(size_t n)
{
	size_t cap = 512 + n * 400;
	char *d = malloc(cap);
	size_t o = 0;

	ck_assert_ptr_nonnull(d);
	o += (size_t)snprintf(d + o, cap - o,
			      "{\"ociVersion\":\"1.0.0\",\"process\":{\"args\":[\"sh\"],"
			      "\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"env\":[");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(d + o, cap - o, "%s\"VAR%zu=value\"", i ? "," : "", i);
	o += (size_t)snprintf(d + o, cap - o, "]},\"mounts\":[");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(d + o, cap - o,
				      "%s{\"destination\":\"/m%zu\",\"type\":\"bind\",\"source\":"
				      "\"/s\",\"options\":[\"rbind\",\"ro\"]}",
				      i ? "," : "", i);
	o += (size_t)snprintf(d + o, cap - o,
			      "],\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\","
			      "\"syscalls\":[");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(d + o, cap - o,
				      "%s{\"names\":[\"sc%zu\",\"sd%zu\"],\"action\":"
				      "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":%zu,"
				      "\"op\":\"SCMP_CMP_EQ\"}]}",
				      i ? "," : "", i, i, i);
	o += (size_t)snprintf(d + o, cap - o, "]}}}");
	ck_assert_uint_lt(o, cap);
	return d;
}

static double parse_seconds(const char *doc, int reps)
{
	double best = 1e9;

	for (int r = 0; r < reps; r++) {
		struct timespec a, b;
		struct berth_error err = {0};

		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		struct berth_spec *s = berth_spec_parse(doc, strlen(doc), &err);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		ck_assert_msg(s != NULL, "%s", err.msg);
		berth_spec_free(s);
		double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (t < best)
			best = t;
	}
	return best;
}

START_TEST(test_parse_speed)
{
	char *small = big_doc(400);
	char *large = big_doc(3200);
	double ts = parse_seconds(small, 9); /* CPU time: load elsewhere does not count */
	double tl = parse_seconds(large, 5);

	printf("test_parse_speed: 400 mounts+syscalls+env: %.3f ms; 3200: %.3f ms (x%.1f)\n",
	       ts * 1e3, tl * 1e3, tl / ts);
	/* 8x the input: linear is ~8x, quadratic would be ~64x. */
	ck_assert_msg(tl / ts < 24, "parse time grows faster than linearly: x%.1f", tl / ts);
	ck_assert_msg(ts < 0.25, "a 400-entry config took %.3f s", ts);
	free(small);
	free(large);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good_documents);
	tcase_add_test(tc, test_bad_documents);
	tcase_add_test(tc, test_spec_examples);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_full_top_and_process);
	tcase_add_test(tc, test_full_linux);
	tcase_add_test(tc, test_full_resources);
	tcase_add_test(tc, test_linux_extras);
	tcase_add_loop_test(tc, test_bad_case, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_process_parse);
	tcase_add_test(tc, test_tables);
	tcase_add_test(tc, test_parse_speed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(config_suite());
}
