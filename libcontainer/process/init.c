/* init.c - the container init's sequence, one call per step. */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup.h"
#include "clone3.h"
#include "console.h"
#include "libcontainer/fdclose.h"
#include "hooks.h"
#include "libcontainer/log.h"
#include "namespaces.h"
#include "identity.h"
#include "libcontainer/rootfs/rootfs.h"
#include "sync.h"

struct init_state {
	const struct init_config *cfg;
	struct berth_error err;
	int procfd;
	bool parent_gone;	       /* after READY nobody reads sync_fd */
	bool go_seen;		       /* GO came: the parent placed us */
	bool placed;		       /* ... and our cgroup namespace is made */
	struct sync_hook_states hooks; /* the documents for the hooks run in here */
};

/* The parent sends GO once it has done its part of placing us: the v2
 * cgroup when we could not be born in it, oom_score_adj (the v1
 * hierarchies we join ourselves, first thing). We build mounts meanwhile
 * and wait only where it matters: the cgroup namespace and cgroup mounts,
 * the hooks, and the process setup; a GO that comes while we wait for
 * another answer is noted in go_seen (sync.h). */
static int wait_placed(void *arg, struct berth_error *err)
{
	struct init_state *st = arg;

	if (st->placed)
		return 0;
	if (!st->go_seen && sync_wait_go(st->cfg->sync_fd, err) < 0)
		return -1;
	st->go_seen = st->placed = true;
	/* rooted at the cgroups we are in now, in every hierarchy */
	if (st->cfg->unshare_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		return berr_sys(err, errno, "unshare the cgroup namespace");
	return 0;
}

static int become_ns_root(struct init_state *st, struct berth_error *err)
{
	const struct init_config *cfg = st->cfg;

	if (!cfg->new_userns)
		return 0;
	if (sync_wait_maps_done(cfg->sync_fd, &st->go_seen, err) < 0)
		return -1;
	/* Our host uid 0 is unmapped in the new namespace: become its root. */
	if (setresgid(0, 0, 0) < 0)
		return berr_sys(err, errno, "setresgid to root of the user namespace");
	if (setresuid(0, 0, 0) < 0)
		return berr_sys(err, errno, "setresuid to root of the user namespace");
	/* The uid change cleared the parent-death signal. */
	return sync_die_with_parent(cfg->sync_fd, err);
}

static int set_names(const struct berth_spec *spec, struct berth_error *err)
{
	bool uts = berth_spec_namespace(spec, BERTH_NS_UTS) != NULL;

	if ((spec->hostname && *spec->hostname) || (spec->domainname && *spec->domainname)) {
		if (!uts)
			return berr_set(err,
					"unable to set hostname without a private UTS namespace");
	}
	if (spec->hostname && *spec->hostname &&
	    sethostname(spec->hostname, strlen(spec->hostname)) < 0)
		return berr_sys(err, errno, "hostname: sethostname \"%s\"", spec->hostname);
	if (spec->domainname && *spec->domainname &&
	    setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
		return berr_sys(err, errno, "domainname: setdomainname \"%s\"", spec->domainname);
	return 0;
}

/* A sysctl is written only where it stays the container's: in a namespace
 * it has (runc's rule). Anything else would change the host's value. */
/* key as the config wrote it, for messages; name in dotted form */
static int check_sysctl_namespace(const struct berth_spec *spec, const char *key, const char *name,
				  struct berth_error *err)
{
	static const char *const ipc_keys[] = {
	    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
	    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
	enum berth_ns_type ns = BERTH_NS__COUNT;

	for (size_t i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++)
		if (strcmp(name, ipc_keys[i]) == 0)
			ns = BERTH_NS_IPC;
	if (strncmp(name, "fs.mqueue.", 10) == 0)
		ns = BERTH_NS_IPC;
	else if (strncmp(name, "net.", 4) == 0)
		ns = BERTH_NS_NETWORK;
	else if (strcmp(name, "kernel.hostname") == 0 || strcmp(name, "kernel.domainname") == 0)
		ns = BERTH_NS_UTS;
	if (ns == BERTH_NS__COUNT)
		return berr_set(err, "linux.sysctl.%s: not in a separate kernel namespace", key);
	if (!berth_spec_namespace(spec, ns))
		return berr_set(err, "linux.sysctl.%s: not allowed without a %s namespace", key,
				berth_ns_type_name(ns));
	return 0;
}

/* Keys come as sysctl(8) takes them: "net.ipv4.ip_forward", or with
 * slashes, "net/ipv4/conf/eth0.1/rp_filter" (runc accepts both), where a
 * dot is part of a name. */
static int write_sysctls(const struct berth_spec *spec, int procfd, struct berth_error *err)
{
	char rel[512], name[512];

	for (size_t i = 0; i < spec->linux_.n_sysctl; i++) {
		const struct berth_kv *kv = &spec->linux_.sysctl[i];
		bool slashed = strchr(kv->key, '/') != NULL;
		int w = snprintf(rel, sizeof(rel), "sys/%s", kv->key);
		if (w < 0 || (size_t)w >= sizeof(rel) || strstr(kv->key, ".."))
			return berr_set(err, "linux.sysctl.%s: invalid key", kv->key);
		snprintf(name, sizeof(name), "%s", kv->key);
		for (char *c = name; slashed && *c; c++)
			if (*c == '/')
				*c = '.';
		if (check_sysctl_namespace(spec, kv->key, name, err) < 0)
			return -1;
		for (char *c = rel + 4; !slashed && *c; c++)
			if (*c == '.')
				*c = '/';
		if (procfs_write(procfd, rel, kv->value, err) < 0)
			return berr_prefix(err, "linux.sysctl.%s", kv->key);
	}
	return 0;
}

static int setup_console(const struct init_config *cfg, struct berth_error *err)
{
	int slave = -1;
	int master;

	if (!cfg->spec->has_process || !cfg->spec->process.terminal) {
		/* The init leads a session of its own either way, as runc's does:
		 * CRIU refuses a tree whose session leader is outside it. */
		if (setsid() < 0)
			return berr_sys(err, errno, "setsid");
		return 0;
	}
	master = console_setup_child(&cfg->spec->process, &slave, err);
	if (master < 0)
		return -1;
	int rc = sync_send_pty_master(cfg->sync_fd, master, err);
	close(master);
	if (rc == 0 && rootfs_bind_console(slave, err) < 0)
		rc = -1;
	close(slave);
	return rc;
}

/* Stdio that is the host's /dev/null becomes the container's own (runc
 * does the same): a host file in the container is a path into the host
 * mount table, which CRIU cannot dump. */
static int reopen_dev_null(struct berth_error *err)
{
	struct stat st;
	int null = -1;

	for (int fd = 0; fd < 3; fd++) {
		if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
			continue;
		if (null < 0) {
			/* A rootfs without a usable /dev/null keeps the host's. */
			null = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOFOLLOW);
			if (null < 0)
				return 0;
			if (fstat(null, &st) < 0 || !S_ISCHR(st.st_mode) ||
			    st.st_rdev != makedev(1, 3)) {
				close(null);
				return 0;
			}
		}
		if (dup3(null, fd, 0) < 0) {
			int e = errno;
			close(null);
			return berr_sys(err, e, "reopen /dev/null as fd %d", fd);
		}
	}
	if (null >= 0)
		close(null);
	return 0;
}

int init_prepare_fds(int preserve_fds, struct berth_error *err)
{
	unsigned first_closed = 3 + (unsigned)preserve_fds;

	for (int fd = 3; fd < 3 + preserve_fds; fd++)
		if (fcntl(fd, F_SETFD, 0) < 0)
			return berr_sys(err, errno, "preserve-fds: fd %d", fd);
	if (syscall(SYS_close_range, first_closed, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return berr_sys(err, errno, "mark fds close-on-exec");
	return 0;
}

static int wait_for_start(const struct init_config *cfg, struct berth_error *err)
{
	char c;
	ssize_t n;

	do
		n = read(cfg->start_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return berr_sys(err, n < 0 ? errno : EPIPE, "wait for start");
	/* Kept open (close-on-exec): `start` waits for it to close, at our
	 * execve or exit, and reads back a failure written into it. */
	return 0;
}

/* The hooks around the mounts: prestart and createRuntime run in the
 * parent (which answers with the state document), createContainer here,
 * before pivot_root. */
static int before_pivot(void *arg, struct berth_error *err)
{
	struct init_state *st = arg;
	const struct init_config *cfg = st->cfg;
	const struct berth_hooks *h = &cfg->spec->hooks;

	/* the hooks see the container in its cgroups, as with runc */
	if (wait_placed(st, err) < 0)
		return -1;
	if (!(h->prestart.n || h->create_runtime.n || h->create_container.n ||
	      h->start_container.n))
		return 0;
	if (sync_wait_hooks_done(cfg->sync_fd, &st->go_seen, &st->hooks, err) < 0)
		return -1;
	return hooks_run(&h->create_container, "createContainer", st->hooks.create_state, err);
}

static int init_steps(struct init_state *st)
{
	const struct init_config *cfg = st->cfg;
	const struct berth_spec *spec = cfg->spec;
	struct berth_error *err = &st->err;
	char exec_buf[4096];

	/* Into the v1 cgroups by ourselves first: no grace period to wait. */
	if (cfg->self_join && cgroup_self_join(cfg->self_join, err) < 0)
		return -1;
	/* A non-root parent can only write our id maps while we are dumpable. */
	if (become_ns_root(st, err) < 0)
		return -1;
	/* Not dumpable: nothing in the container may ptrace us or open our
	 * /proc/<pid>/exe (berth's binary) before we execve (CVE-2016-9962). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return berr_sys(err, errno, "prctl PR_SET_DUMPABLE");
	if (ns_has_joins(spec) && ns_join_paths(spec, true, err) < 0)
		return -1;
	struct rootfs_config rc = {
	    .spec = spec,
	    .rootfs = cfg->rootfs,
	    .no_pivot = cfg->no_pivot,
	    .host_mountns = !berth_spec_namespace(spec, BERTH_NS_MOUNT),
	    /* Also when berth itself runs in one (rootless podman's): no mknod. */
	    .in_userns = cfg->new_userns || (berth_spec_namespace(spec, BERTH_NS_USER) != NULL) ||
			 cfg->nested_userns,
	    .console_fd = -1,
	    .before_pivot = before_pivot,
	    .before_pivot_arg = st,
	    .before_cgroup_mount = wait_placed,
	};
	/* Before the mounts make /proc/sys read-only; the net and ipc keys
	 * follow the writer's namespaces, which are the container's already. */
	if (write_sysctls(spec, cfg->host_procfd, err) < 0)
		return -1;
	if (rootfs_setup(&rc, err) < 0)
		return -1;
	close(cfg->host_procfd);
	if (set_names(spec, err) < 0)
		return -1;
	st->procfd = procfs_open(err);
	if (st->procfd < 0)
		return berr_prefix(err, "open the container's /proc");
	if (setup_console(cfg, err) < 0 || reopen_dev_null(err) < 0 ||
	    process_set_personality(&spec->linux_.personality, err) < 0 ||
	    init_prepare_fds(cfg->preserve_fds, err) < 0)
		return -1;
	struct process_ctx pc = {
	    .proc = &spec->process,
	    .caps = cfg->caps,
	    .seccomp = cfg->seccomp,
	    .keyring_name = cfg->keyring_name,
	    .setgroups_allowed = !rc.in_userns || geteuid() == 0,
	    .sync_fd = cfg->sync_fd,
	    .procfd = st->procfd,
	};
	if (wait_placed(st, err) < 0 ||
	    process_resolve_exec(&pc, exec_buf, sizeof(exec_buf), err) < 0 ||
	    process_setup(&pc, err) < 0)
		return -1;
	/* Nothing left to read in the container's /proc: a created init holds
	 * only stdio, the preserved fds and exec.fifo (and sync_fd until READY). */
	close(st->procfd);
	st->procfd = -1;
	/* The parent exits after READY: the init must outlive it. */
	if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0)
		return berr_sys(err, errno, "clear parent-death signal");
	/* A listener's fd goes over the sync socket, closed at READY: then the
	 * filter goes on now, as with runc. Otherwise after `start`, so that
	 * waiting for it is no business of the container's profile. */
	bool sealed = pc.seccomp && seccomp_filter_wants_notify(pc.seccomp);
	if (sealed && process_seal(&pc, err) < 0)
		return -1;
	if (sync_send_ready(cfg->sync_fd, err) < 0)
		return -1;
	close(cfg->sync_fd);
	st->parent_gone = true;
	log_detach();
	if (wait_for_start(cfg, err) < 0)
		return -1;
	if (!sealed && process_seal(&pc, err) < 0)
		return -1;
	/* Under the filter, with the process's identity and environment, as
	 * runc runs them. */
	if (hooks_run_env(&spec->hooks.start_container, "startContainer", st->hooks.start_state,
			  pc.envp, err) < 0)
		return -1;
	return process_exec(&pc, err);
}

/* Everything else berth had open at the clone (its own fds, and those it
 * inherited from whoever ran it) is closed now, not at execve: a created
 * container may wait for `start` a long time, and its init must not keep a
 * host file, pipe or socket of its caller's open meanwhile. */
static int close_inherited(const struct init_config *cfg, struct berth_error *err)
{
	int keep[FD_KEEP_MAX];
	size_t n = 0;

	keep[n++] = cfg->sync_fd;
	keep[n++] = cfg->start_fd;
	keep[n++] = cfg->host_procfd;
	keep[n++] = log_fd(); /* --log FILE: the init's lines until READY (log_detach) */
	for (size_t i = 0; cfg->self_join && i < cfg->self_join->n && n < FD_KEEP_MAX; i++)
		keep[n++] = cfg->self_join->fds[i];
	return fd_close_all_but(3 + cfg->preserve_fds, keep, n, err);
}

void init_run(const struct init_config *cfg)
{
	struct init_state st = {.cfg = cfg, .procfd = -1};

	clone3_child_begin(cfg->parent_fds, sizeof(cfg->parent_fds) / sizeof(cfg->parent_fds[0]));
	/* A create killed before READY takes its init along. */
	if (close_inherited(cfg, &st.err) < 0) {
		/* reported below */
	} else if (sync_die_with_parent(cfg->sync_fd, &st.err) < 0) {
		/* reported below (to nobody, when the parent is gone) */
	} else if (init_steps(&st) == 0) {
		_exit(0); /* not reached: process_exec returns only on failure */
	}
	/* Before READY the parent reads this; after it, stderr is all we have. */
	if (st.parent_gone) {
		/* `start` released us and reads this back (a startContainer hook
		 * or the execve failed); stderr is the last resort. */
		if (write(cfg->start_fd, st.err.msg, strlen(st.err.msg)) < 0)
			dprintf(STDERR_FILENO, "berth: %s\n", st.err.msg);
	} else
		sync_send_error(cfg->sync_fd, &st.err);
	_exit(st.err.errnum == ENOENT ? 127 : 1);
}
