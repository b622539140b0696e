/* test_cgroup_host.c - the cgroup manager against this host's real
 * cgroups (root only): create with limits, read every file back, move a
 * process in, freeze, stats, update, kill, destroy, and check that nothing
 * is left in any hierarchy. Also the v2 driver on the cgroup2 mount of a
 * hybrid host (/sys/fs/cgroup/unified): CLONE_INTO_CGROUP and the device
 * eBPF program. Every cgroup made is under a "/berth-test-<pid>" name and is
 * removed, also when a check fails. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup_internal.h"
#include "unit_run.h"

static char test_root[64]; /* "/berth-test-<pid>" */

static bool have_hybrid_or_v1(void)
{
	struct cg_mounts mnt;
	struct berth_error err;
	bool ok;

	if (geteuid() != 0 || cg_detect(&mnt, &err) < 0)
		return false;
	ok = mnt.kind == CG_KIND_HYBRID || mnt.kind == CG_KIND_V1;
	cg_mounts_clear(&mnt);
	return ok;
}

static char *slurp(const char *dir, const char *file)
{
	char *s = NULL;
	struct berth_error err;

	if (cg_read(dir, file, &s, &err) < 0)
		ck_abort_msg("read %s/%s: %s", dir, file, err.msg);
	return s;
}

static void assert_file(const char *dir, const char *file, const char *want)
{
	char *s = slurp(dir, file);

	ck_assert_msg(!strcmp(s, want), "%s/%s = \"%s\", want \"%s\"", dir, file, s, want);
	free(s);
}

static void assert_file_has(const char *dir, const char *file, const char *needle)
{
	char *s = slurp(dir, file);

	ck_assert_msg(strstr(s, needle), "%s/%s lacks \"%s\": %s", dir, file, needle, s);
	free(s);
}

/* Nothing named test_root is left in any hierarchy. */
static void assert_nothing_left(void)
{
	const char *mounts[] = {"cpu",	   "cpuacct", "cpuset", "memory", "devices",
				"freezer", "blkio",   "pids",	"unified"};
	char path[256];
	struct stat st;

	for (size_t i = 0; i < sizeof(mounts) / sizeof(*mounts); i++) {
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s%s", mounts[i], test_root);
		ck_assert_msg(stat(path, &st) < 0 && errno == ENOENT, "%s was left behind", path);
	}
}

static void cleanup_leftovers(void)
{
	const char *mounts[] = {"cpu",	   "cpuacct", "cpuset", "memory", "devices",
				"freezer", "blkio",   "pids",	"unified"};
	char path[256];
	struct berth_error err;

	for (size_t i = 0; i < sizeof(mounts) / sizeof(*mounts); i++) {
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s%s", mounts[i], test_root);
		cg_rmdir_tree(path, &err);
	}
}

static struct cgroup_manager *new_manager(const char *sub, struct berth_error *err)
{
	char path[128];
	struct cgroup_params p = {.id = "ignored", .cgroups_path = path};

	snprintf(path, sizeof(path), "%s/%s", test_root, sub);
	return cgroup_manager_new(&p, err);
}

/* A child that waits for a byte on `fd`, then pauses until killed. */
static pid_t spawn_sleeper(int *wake_fd)
{
	int p[2];
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char c;

		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(2);
		for (;;)
			pause();
	}
	close(p[0]);
	*wake_fd = p[1];
	return pid;
}

static void fill_resources(struct berth_resources *r)
{
	static struct berth_device_cgroup devs[] = {{.allow = false, .type = 'a'}};

	memset(r, 0, sizeof(*r));
	r->present = true;
	r->memory.present = true;
	r->memory.has_limit = true;
	r->memory.limit = 256 * 1024;
	r->memory.has_reservation = true;
	r->memory.reservation = 128 * 1024;
	r->memory.has_swap = true;
	r->memory.swap = 512 * 1024;
	r->memory.has_swappiness = true;
	r->memory.swappiness = 10;
	r->memory.has_disable_oom_killer = true;
	r->memory.disable_oom_killer = true;
	r->cpu.present = true;
	r->cpu.has_shares = true;
	r->cpu.shares = 512;
	r->cpu.has_quota = true;
	r->cpu.quota = 50000;
	r->cpu.has_period = true;
	r->cpu.period = 100000;
	r->cpu.cpus = "0";
	r->cpu.mems = "0";
	r->has_pids_limit = true;
	r->pids_limit = 20;
	r->devices = devs;
	r->n_devices = 1;
}

START_TEST(hybrid_full_cycle)
{
	struct berth_error err;
	struct berth_resources r;
	struct cgroup_manager *m;
	struct cg_hier *h;
	pid_t child, *pids;
	size_t n;
	bool frozen;
	int wake;
	struct cgroup_stats st;

	if (!have_hybrid_or_v1())
		return; /* not root or no v1 controllers: nothing to test here */
	fill_resources(&r);
	m = new_manager("c1", &err);
	ck_assert_msg(m, "new: %s", err.msg);
	ck_assert_int_eq(cgroup_manager_create(m, &r, &err), 0);

	ck_assert_ptr_nonnull(h = cg_v1_hier(m, "memory"));
	assert_file(h->dir, "memory.limit_in_bytes", "262144");
	assert_file(h->dir, "memory.memsw.limit_in_bytes", "524288");
	assert_file(h->dir, "memory.soft_limit_in_bytes", "131072");
	assert_file(h->dir, "memory.swappiness", "10");
	assert_file_has(h->dir, "memory.oom_control", "oom_kill_disable 1");
	ck_assert_ptr_nonnull(h = cg_v1_hier(m, "cpu"));
	assert_file(h->dir, "cpu.shares", "512");
	assert_file(h->dir, "cpu.cfs_quota_us", "50000");
	assert_file(h->dir, "cpu.cfs_period_us", "100000");
	ck_assert_ptr_nonnull(h = cg_v1_hier(m, "cpuset"));
	assert_file(h->dir, "cpuset.cpus", "0");
	assert_file(h->dir, "cpuset.mems", "0");
	ck_assert_ptr_nonnull(h = cg_v1_hier(m, "pids"));
	assert_file(h->dir, "pids.max", "20");
	ck_assert_ptr_nonnull(h = cg_v1_hier(m, "devices"));
	/* deny all, then the default allowed devices */
	assert_file_has(h->dir, "devices.list", "c 1:3 rwm");
	assert_file_has(h->dir, "devices.list", "c 136:* rwm");
	{
		char *list = slurp(h->dir, "devices.list");
		ck_assert_msg(!strstr(list, "a *:* rwm"), "devices not restricted: %s", list);
		free(list);
	}

	/* a process joins every hierarchy */
	child = spawn_sleeper(&wake);
	ck_assert_int_eq(cgroup_manager_add_pid(m, child, &err), 0);
	ck_assert_int_eq(write(wake, "x", 1), 1);
	{
		char file[64], *self;
		snprintf(file, sizeof(file), "/proc/%d", child);
		self = slurp(file, "cgroup");
		ck_assert_msg(strstr(self, test_root), "child not moved: %s", self);
		free(self);
	}
	ck_assert_int_eq(cgroup_manager_pids(m, &pids, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(pids[0], child);
	free(pids);

	/* freeze and thaw */
	ck_assert_int_eq(cgroup_manager_freeze(m, true, &err), 0);
	ck_assert_int_eq(cgroup_manager_is_frozen(m, &frozen, &err), 0);
	ck_assert(frozen);
	ck_assert_int_eq(cgroup_manager_freeze(m, false, &err), 0);
	ck_assert_int_eq(cgroup_manager_is_frozen(m, &frozen, &err), 0);
	ck_assert(!frozen);

	/* stats in runc's shape */
	ck_assert_int_eq(cgroup_manager_stats(m, &st, &err), 0);
	ck_assert(st.present && st.memory.present && st.memory.has_kernel);
	ck_assert_uint_eq(st.memory.usage.limit, 262144);
	ck_assert_uint_eq(st.memory.swap.limit, 524288);
	ck_assert(st.memory.has_raw && st.memory.n_raw > 0);
	ck_assert(st.pids.has_limit && st.pids.has_current);
	ck_assert_uint_eq(st.pids.limit, 20);
	ck_assert_uint_eq(st.pids.current, 1);
	ck_assert(st.cpu.has_total && st.cpu.percpu.present);
	cgroup_stats_free(&st);

	/* update: raise memory (swap first), lower pids */
	r.memory.limit = 1024 * 1024;
	r.memory.swap = 2 * 1024 * 1024;
	r.pids_limit = 5;
	ck_assert_msg(cgroup_manager_update(m, &r, &err) == 0, "update: %s", err.msg);
	assert_file(cg_v1_hier(m, "memory")->dir, "memory.limit_in_bytes", "1048576");
	assert_file(cg_v1_hier(m, "memory")->dir, "memory.memsw.limit_in_bytes", "2097152");
	assert_file(cg_v1_hier(m, "pids")->dir, "pids.max", "5");

	/* re-open from the saved state and tear down through that manager */
	{
		char *path = strdup(cgroup_manager_path(m));
		enum cgroup_driver driver = cgroup_manager_driver(m);
		struct cgroup_manager *m2 = cgroup_manager_open(driver, path, &err);

		ck_assert_msg(m2, "open: %s", err.msg);
		ck_assert_str_eq(cgroup_manager_path(m2), path);
		ck_assert_int_eq(cgroup_manager_kill_all(m2, SIGKILL, &err), 0);
		ck_assert_int_eq(waitpid(child, NULL, 0), child);
		ck_assert_msg(cgroup_manager_destroy(m2, &err) == 0, "destroy: %s", err.msg);
		cgroup_manager_free(m2);
		free(path);
	}
	/* the first manager remembers the parent it made */
	ck_assert_int_eq(cgroup_manager_destroy(m, &err), 0);
	cgroup_manager_free(m);
	close(wake);
	assert_nothing_left();
}
END_TEST

START_TEST(errors_leave_nothing)
{
	struct berth_error err;
	struct berth_resources r;
	struct cgroup_manager *m;

	if (!have_hybrid_or_v1())
		return;
	/* an impossible value: the kernel clamps cpu.shares=1, we refuse */
	fill_resources(&r);
	r.cpu.shares = 1;
	m = new_manager("bad", &err);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(cgroup_manager_create(m, &r, &err), -1);
	ck_assert_msg(strstr(err.msg, "linux.resources.cpu.shares") &&
			  strstr(err.msg, "cpu.shares"),
		      "%s", err.msg);
	cgroup_manager_free(m);
	assert_nothing_left();

	/* swap below the limit */
	fill_resources(&r);
	r.memory.swap = 4096;
	m = new_manager("bad", &err);
	ck_assert_int_eq(cgroup_manager_create(m, &r, &err), -1);
	ck_assert_msg(strstr(err.msg, "linux.resources.memory.swap"), "%s", err.msg);
	cgroup_manager_free(m);
	assert_nothing_left();

	/* a missing controller that the config asks for */
	fill_resources(&r);
	r.network.present = true;
	r.network.has_class_id = true;
	r.network.class_id = 0x100001;
	m = new_manager("bad", &err);
	ck_assert_int_eq(cgroup_manager_create(m, &r, &err), -1);
	if (!cg_v1_hier(m, "net_cls"))
		ck_assert_msg(strstr(err.msg, "linux.resources.network.classID") &&
				  strstr(err.msg, "net_cls"),
			      "%s", err.msg);
	cgroup_manager_free(m);
	assert_nothing_left();

	/* a v2-only key on v1 limits */
	fill_resources(&r);
	struct berth_kv kv = {.key = "memory.high", .value = "1M"};
	r.unified = &kv;
	r.n_unified = 1;
	m = new_manager("bad", &err);
	ck_assert_int_eq(cgroup_manager_create(m, &r, &err), -1);
	ck_assert_msg(strstr(err.msg, "linux.resources.unified"), "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "memory.high"), "%s", err.msg);
	cgroup_manager_free(m);
	assert_nothing_left();

	/* an impossible memory value written by the kernel's rules */
	fill_resources(&r);
	r.memory.has_swap = false;
	r.memory.limit = -5;
	m = new_manager("bad", &err);
	ck_assert_int_eq(cgroup_manager_create(m, &r, &err), -1);
	ck_assert_msg(
	    strstr(err.msg, "linux.resources.memory.limit: write /sys/fs/cgroup/memory") &&
		strstr(err.msg, "memory.limit_in_bytes: "),
	    "%s", err.msg);
	cgroup_manager_free(m);
	assert_nothing_left();
}
END_TEST

START_TEST(busy_cgroup_clash)
{
	struct berth_error err;
	struct cgroup_manager *m, *m2;
	struct berth_resources r = {0};
	pid_t child;
	int wake;

	if (!have_hybrid_or_v1())
		return;
	m = new_manager("busy", &err);
	ck_assert_int_eq(cgroup_manager_create(m, &r, &err), 0);
	child = spawn_sleeper(&wake);
	ck_assert_int_eq(cgroup_manager_add_pid(m, child, &err), 0);
	m2 = new_manager("busy", &err);
	ck_assert_int_eq(cgroup_manager_create(m2, &r, &err), -1);
	ck_assert_msg(strstr(err.msg, "already exists"), "%s", err.msg);
	cgroup_manager_free(m2);
	/* destroy kills what is still inside */
	ck_assert_int_eq(cgroup_manager_destroy(m, &err), 0);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	cgroup_manager_free(m);
	close(wake);
	assert_nothing_left();
}
END_TEST

START_TEST(memory_256k_before_join)
{
	struct berth_error err;
	struct berth_resources r = {0};
	struct cgroup_manager *m;
	pid_t child;
	int wake, status;

	if (!have_hybrid_or_v1())
		return;
	r.present = true;
	r.memory.present = true;
	r.memory.has_limit = true;
	r.memory.limit = 256 * 1024;
	m = new_manager("small", &err);
	ck_assert_msg(cgroup_manager_create(m, &r, &err) == 0, "%s", err.msg);
	child = spawn_sleeper(&wake);
	ck_assert_msg(cgroup_manager_add_pid(m, child, &err) == 0, "%s", err.msg);
	assert_file(cg_v1_hier(m, "memory")->dir, "memory.limit_in_bytes", "262144");
	ck_assert_int_eq(write(wake, "x", 1), 1);
	ck_assert_int_eq(cgroup_manager_destroy(m, &err), 0);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSIGNALED(status));
	cgroup_manager_free(m);
	close(wake);
	assert_nothing_left();
}
END_TEST

/* ---- the v2 driver, on the hybrid host's cgroup2 mount ---- */

static struct cgroup_manager *v2_manager(const char *sub, struct berth_error *err)
{
	struct cg_mounts mnt = {.kind = CG_KIND_V2, .v2_mount = CG_UNIFIED};
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", test_root, sub);
	return cg_manager_make(CG_KIND_V2, &mnt, path, err);
}

static bool have_unified(void)
{
	struct cg_mounts mnt;
	struct berth_error err;
	bool ok;

	if (geteuid() != 0 || cg_detect(&mnt, &err) < 0)
		return false;
	ok = mnt.kind == CG_KIND_HYBRID;
	cg_mounts_clear(&mnt);
	return ok;
}

/* clone3(CLONE_INTO_CGROUP) a child that opens `dev` and exits with 0 when it
 * opened, 1 on EPERM, 2 otherwise. */
static int child_open_in_cgroup(int cgfd, const char *dev, bool *born_there)
{
	struct clone_args args;
	pid_t pid;
	int status;

	memset(&args, 0, sizeof(args));
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (uint64_t)cgfd;
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		int fd = open(dev, O_RDONLY);

		_exit(fd >= 0 ? 0 : errno == EPERM ? 1 : 2);
	}
	ck_assert_msg(pid > 0, "clone3: %s", strerror(errno));
	*born_there = true;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(v2_devices_ebpf_and_clone_into)
{
	struct berth_error err;
	struct berth_resources r = {0};
	struct cgroup_manager *m;
	bool born = false, frozen;
	int fd;

	if (!have_unified())
		return;
	m = v2_manager("v2dev", &err);
	ck_assert_msg(m, "%s", err.msg);
	/* no rules: default deny plus the standard devices */
	ck_assert_msg(cgroup_manager_create(m, &r, &err) == 0, "create: %s", err.msg);
	fd = cgroup_manager_clone_fd(m);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(child_open_in_cgroup(fd, "/dev/null", &born), 0);
	ck_assert(born);
	/* /dev/kmsg (c 1:11) is not in the allowed list */
	ck_assert_int_eq(child_open_in_cgroup(fd, "/dev/kmsg", &born), 1);
	/* cgroup.freeze works without any controller */
	ck_assert_int_eq(cgroup_manager_freeze(m, true, &err), 0);
	ck_assert_int_eq(cgroup_manager_is_frozen(m, &frozen, &err), 0);
	ck_assert(frozen);
	assert_file_has(m->v2_dir, "cgroup.events", "frozen 1");
	ck_assert_int_eq(cgroup_manager_freeze(m, false, &err), 0);
	ck_assert_int_eq(cgroup_manager_destroy(m, &err), 0);
	cgroup_manager_free(m);

	/* rules replaced on a second create of the same path: allow all, deny kmsg reads */
	struct berth_device_cgroup rules[] = {
	    {.allow = true, .type = 'a'},
	    {.allow = false,
	     .type = 'c',
	     .has_major = true,
	     .major = 1,
	     .has_minor = true,
	     .minor = 11,
	     .access = "r"},
	};
	r.devices = rules;
	r.n_devices = 2;
	m = v2_manager("v2dev", &err);
	ck_assert_msg(cgroup_manager_create(m, &r, &err) == 0, "create: %s", err.msg);
	ck_assert_int_eq(child_open_in_cgroup(cgroup_manager_clone_fd(m), "/dev/kmsg", &born), 1);
	ck_assert_int_eq(child_open_in_cgroup(cgroup_manager_clone_fd(m), "/dev/null", &born), 0);
	ck_assert_int_eq(cgroup_manager_destroy(m, &err), 0);
	cgroup_manager_free(m);
	cleanup_leftovers();
	assert_nothing_left();
}
END_TEST

START_TEST(v2_missing_controller_errors)
{
	struct berth_error err;
	struct berth_resources r = {0};
	struct cgroup_manager *m;

	if (!have_unified() || cg_exists(CG_UNIFIED, "memory.max"))
		return;
	r.present = true;
	r.memory.present = true;
	r.memory.has_limit = true;
	r.memory.limit = 1 << 20;
	m = v2_manager("v2mem", &err);
	ck_assert_int_eq(cgroup_manager_create(m, &r, &err), -1);
	ck_assert_msg(
	    strstr(err.msg, "linux.resources.memory.limit: write /sys/fs/cgroup/unified") &&
		strstr(err.msg, "memory.max"),
	    "%s", err.msg);
	cgroup_manager_free(m);
	cleanup_leftovers();
	assert_nothing_left();
}
END_TEST

START_TEST(systemd_and_disabled)
{
	struct berth_error err;
	struct cgroup_params p = {
	    .id = "x", .cgroups_path = "system.slice:berth:x", .manager = CGROUP_MANAGER_SYSTEMD};
	struct cgroup_manager *m;

	if (access(CG_SYSTEMD_RUN_DIR, F_OK) < 0) {
		ck_assert_ptr_null(cgroup_manager_new(&p, &err));
		ck_assert_msg(strstr(err.msg, "systemd is not running"), "%s", err.msg);
		/* a reason the caller can act on, in words that name no flag */
		ck_assert_int_eq(err.reason, CGROUP_ERR_SYSTEMD_UNUSABLE);
		ck_assert_ptr_null(strstr(err.msg, "--"));
	}
	p.cgroups_path = "/not/systemd/form";
	ck_assert_ptr_null(cgroup_manager_new(&p, &err));
	ck_assert_msg(strstr(err.msg, "slice:prefix:name"), "%s", err.msg);
	ck_assert_int_eq(err.reason, 0);

	p.manager = CGROUP_MANAGER_DISABLED;
	m = cgroup_manager_new(&p, &err);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(cgroup_manager_driver(m), CGROUP_DRIVER_DISABLED);
	ck_assert_int_eq(cgroup_manager_create(m, NULL, &err), 0);
	ck_assert_int_eq(cgroup_manager_clone_fd(m), -1);
	ck_assert_int_eq(cgroup_manager_freeze(m, true, &err), -1);
	{
		struct cgroup_stats st = {.present = true};

		ck_assert_int_eq(cgroup_manager_stats(m, &st, &err), 0);
		ck_assert(!st.present); /* no cgroup: no counters at all */
		cgroup_stats_free(&st);
	}
	cgroup_manager_free(m);
}
END_TEST

/* state.json and the intent file keep the names berth always wrote. */
START_TEST(driver_names)
{
	static const struct {
		enum cgroup_driver d;
		const char *name;
	} t[] = {
	    {CGROUP_DRIVER_DISABLED, "disabled"},
	    {CGROUP_DRIVER_V2, "v2"},
	    {CGROUP_DRIVER_V1, "v1"},
	    {CGROUP_DRIVER_HYBRID, "hybrid"},
	    {CGROUP_DRIVER_SYSTEMD, "systemd"},
	    {CGROUP_DRIVER_SYSTEMD_USER, "systemd-user"},
	};
	enum cgroup_driver d;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_str_eq(cgroup_driver_name(t[i].d), t[i].name);
		ck_assert_int_eq(cgroup_driver_from_name(t[i].name, &d), 0);
		ck_assert_int_eq(d, t[i].d);
	}
	ck_assert_ptr_null(cgroup_driver_name(CGROUP_DRIVER_NONE));
	ck_assert_int_eq(cgroup_driver_from_name(NULL, &d), -1);
	ck_assert_int_eq(cgroup_driver_from_name("systemdx", &d), -1);
	ck_assert_int_eq(cgroup_driver_from_name("cgroupfs", &d), -1);
	ck_assert(cgroup_driver_is_v2(CGROUP_DRIVER_SYSTEMD_USER));
	ck_assert(cgroup_driver_is_v2(CGROUP_DRIVER_V2));
	ck_assert(!cgroup_driver_is_v2(CGROUP_DRIVER_HYBRID));
	ck_assert(!cgroup_driver_is_v2(CGROUP_DRIVER_DISABLED));
	ck_assert(!cgroup_driver_is_systemd(CGROUP_DRIVER_V2));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup_host");
	TCase *tc = tcase_create("host");

	snprintf(test_root, sizeof(test_root), "/berth-test-%d", (int)getpid());
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hybrid_full_cycle);
	tcase_add_test(tc, errors_leave_nothing);
	tcase_add_test(tc, busy_cgroup_clash);
	tcase_add_test(tc, memory_256k_before_join);
	tcase_add_test(tc, v2_devices_ebpf_and_clone_into);
	tcase_add_test(tc, v2_missing_controller_errors);
	tcase_add_test(tc, systemd_and_disabled);
	tcase_add_test(tc, driver_names);
	suite_add_tcase(s, tc);
	int rc = unit_run(s);
	cleanup_leftovers();
	return rc;
}
