/* create.c - `create`: the parent side of ARCHITECTURE.md's process model.
 *
 * Everything is prepared before the clone (config, state dir, cgroup with
 * its limits, capabilities, seccomp), then the child is cloned into its
 * namespaces and cgroup and serviced over the sync socket until it is
 * ready. On any failure everything made here is torn down again. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "crash_point.h"
#include "create_common.h"
#include "host_rootfs.h"
#include "intent.h"
#include "lifecycle.h"
#include "seccomp_agent.h"
#include "libcontainer/process/process.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/seccomp/seccomp_filter.h"
#include "state_dir.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Everything create holds while it works; released by create_cleanup(). */
struct create_ctx {
	const struct runtime_opts *ro;
	const struct create_opts *o;
	struct berth_spec *spec;
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	char pid_file[PATH_MAX];
	struct container c; /* filled as we go, saved as state.json */
	bool dir_made;
	int console_sock;
	int start_fd;
	int procfd;
	int sync[2];
	pid_t pid;
	int pidfd;
	int pty_master;
	struct caps_sets caps;
	bool have_caps;
	struct seccomp_filter *seccomp;
	int listen_fds; /* LISTEN_FDS passed on, before the --preserve-fds ones */
};

static int check_preserved_fds(const struct create_opts *o, struct berth_error *err)
{
	for (int fd = 3; fd < 3 + o->preserve_fds; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			return berr_sys(err, errno, "--preserve-fds %d: fd %d", o->preserve_fds,
					fd);
	return 0;
}

/* systemd socket activation: fds 3..3+LISTEN_FDS-1 meant for us pass on
 * to the workload, which sees LISTEN_FDS=n and LISTEN_PID=1 (runc's rule). */
static int take_listen_fds(struct create_ctx *x, struct berth_error *err)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	struct berth_process *p = &x->spec->process;
	char *end;

	if (!fds || !pid || strtol(pid, &end, 10) != getpid() || *end)
		return 0;
	long n = strtol(fds, &end, 10);
	if (*end || n <= 0 || n > 1024)
		return 0;
	char **env = realloc(p->env, (p->n_env + 3) * sizeof(char *));
	if (!env)
		return berr_sys(err, ENOMEM, "LISTEN_FDS");
	p->env = env;
	if (asprintf(&env[p->n_env], "LISTEN_FDS=%ld", n) < 0 ||
	    !(env[p->n_env + 1] = strdup("LISTEN_PID=1")))
		return berr_sys(err, ENOMEM, "LISTEN_FDS");
	p->n_env += 2;
	env[p->n_env] = NULL;
	x->listen_fds = (int)n;
	return 0;
}

static int make_state_dir(struct create_ctx *x, struct berth_error *err)
{
	x->c.dir_fd = state_dir_create(x->ro->root, x->o->id, err);
	if (x->c.dir_fd < 0)
		return -1;
	x->dir_made = true;
	x->c.lock_fd = x->c.dir_fd;
	if (container_fill_new(&x->c, x->ro->root, x->o->id, x->bundle, x->rootfs, x->spec, err) <
	    0)
		return -1;
	crash_point("create.state-dir");
	x->start_fd = state_dir_make_fifo(x->c.dir_fd, err);
	return x->start_fd < 0 ? -1 : 0;
}

static int make_cgroup(struct create_ctx *x, struct berth_error *err)
{
	return container_make_cgroup(&x->c, x->spec, x->ro, "create", err);
}

static int prepare_security(struct create_ctx *x, struct berth_error *err)
{
	char cache[PATH_MAX];
	const struct berth_process *p = &x->spec->process;

	/* No process.capabilities means no capabilities at all, as with runc. */
	if (caps_parse(&p->capabilities, &x->caps, err) < 0)
		return -1;
	x->have_caps = true;
	if (lsm_check(p, err) < 0)
		return -1;
	if (x->spec->linux_.seccomp.present) {
		snprintf(cache, sizeof(cache), "%s/.cache", x->ro->root);
		if (seccomp_filter_prepare(&x->spec->linux_.seccomp, cache, &x->seccomp, err) < 0)
			return berr_prefix(err, "linux.seccomp");
	}
	return 0;
}

/* The state document handed to hooks, as it is at this moment. */
static char *hook_state(struct create_ctx *x, const char *status)
{
	return container_hook_state(&x->c, status, x->pid);
}

/* prestart and createRuntime here; the init gets the documents for its
 * own: createContainer runs while the container is still "creating",
 * startContainer once `start` released it, in a "created" one (as runc
 * reports them). */
static int run_parent_hooks(struct create_ctx *x, struct berth_error *err)
{
	_cleanup_free_ char *creating = hook_state(x, "creating");
	_cleanup_free_ char *created = hook_state(x, "created");
	const struct berth_hooks *h = &x->spec->hooks;

	if (!creating || !created)
		return berr_set(err, "encode the state for hooks");
	if (hooks_run(&h->prestart, "prestart", creating, err) < 0 ||
	    hooks_run(&h->create_runtime, "createRuntime", creating, err) < 0)
		return -1;
	return sync_send_hook_states(x->sync[0], creating, created, err);
}

static int forward_seccomp_fd(struct create_ctx *x, int fd, struct berth_error *err)
{
	_cleanup_free_ char *state = hook_state(x, "creating");
	_cleanup_free_ char *msg =
	    seccomp_agent_message(&x->spec->linux_.seccomp, x->pid, state ? state : "{}", err);
	int rc = msg ? seccomp_notify_forward(&x->spec->linux_.seccomp, fd, msg, err)
		     : berr_prefix(err, "seccomp listener");

	close(fd);
	if (rc < 0)
		return -1;
	return sync_send(x->sync[0], SYNC_SECCOMP_DONE, 0, NULL, 0, -1, err);
}

static int take_pty(struct create_ctx *x, int fd, struct berth_error *err)
{
	if (x->console_sock >= 0) {
		int rc = console_send_fd(x->console_sock, fd, err);
		close(fd);
		return rc;
	}
	x->pty_master = fd;
	return 0;
}

/* Serve the child's requests until it says it is ready (or fails). */
static int serve_child(struct create_ctx *x, struct berth_error *err)
{
	struct sync_msg msg;

	for (;;) {
		if (sync_recv(x->sync[0], &msg, err) < 0)
			return berr_prefix(err, "container init");
		switch (msg.type) {
		case SYNC_ERROR:
			berr_set(err, "%s", msg.payload);
			err->errnum = (int)msg.value;
			return -1;
		case SYNC_MAPS_REQUEST:
			if (userns_write_maps(x->pid, x->spec, x->procfd, err) < 0 ||
			    sync_send(x->sync[0], SYNC_MAPS_DONE, 0, NULL, 0, -1, err) < 0)
				return -1;
			crash_point("create.maps-written");
			break;
		case SYNC_HOOKS_REQUEST:
			crash_point("create.hooks-requested");
			if (run_parent_hooks(x, err) < 0)
				return -1;
			crash_point("create.hooks-done");
			break;
		case SYNC_PTY_MASTER:
			if (msg.fd < 0)
				return berr_set(err, "container init sent no pty");
			if (take_pty(x, msg.fd, err) < 0)
				return -1;
			break;
		case SYNC_SECCOMP_FD:
			if (msg.fd < 0)
				return berr_set(err, "container init sent no seccomp fd");
			if (forward_seccomp_fd(x, msg.fd, err) < 0)
				return -1;
			break;
		case SYNC_READY:
			return 0;
		default:
			if (msg.fd >= 0)
				close(msg.fd);
			return berr_set(err, "container init: unexpected message %s",
					sync_type_name((enum sync_type)msg.type));
		}
	}
}

static int spawn_init(struct create_ctx *x, struct berth_error *err)
{
	char keyring[128];
	uint64_t flags = ns_new_flags(x->spec);
	bool new_userns = (flags & CLONE_NEWUSER) != 0;
	_cleanup_close_ int host_pidns = -1;
	_cleanup_close_ int host_timens = -1;

	/* No mount namespace: the init mounts in the host's, as runc's does;
	 * note the rootfs's mount first so that all of it can be taken off
	 * again (create_cleanup, delete). */
	if (host_rootfs_needed(x->spec) &&
	    host_rootfs_note(x->c.dir_fd, x->spec, x->rootfs, err) < 0)
		return -1;
	if (sync_socketpair(x->sync, err) < 0)
		return -1;
	x->procfd = procfs_open(err);
	if (x->procfd < 0)
		return -1;
	snprintf(keyring, sizeof(keyring), "_ses.%s", x->o->id);
	struct init_config cfg = {
	    .spec = x->spec,
	    .rootfs = x->rootfs,
	    .sync_fd = x->sync[1],
	    .start_fd = x->start_fd,
	    .no_pivot = x->o->no_pivot,
	    .keyring_name = x->o->no_new_keyring ? NULL : keyring,
	    .preserve_fds = x->listen_fds + x->o->preserve_fds,
	    .caps = x->have_caps ? &x->caps : NULL,
	    .seccomp = x->seccomp,
	    .new_userns = new_userns,
	    .nested_userns = x->ro->nested_userns,
	    .host_procfd = x->procfd,
	    .parent_fds = {x->sync[0], x->c.dir_fd, x->console_sock,
			   cgroup_manager_clone_fd(x->c.cgroup), -1, -1},
	};
	/* Relative mount sources are relative to the bundle, as with runc. */
	if (chdir(x->bundle) < 0)
		return berr_sys(err, errno, "chdir to bundle %s", x->bundle);
	const struct berth_namespace *pidns = berth_spec_namespace(x->spec, BERTH_NS_PID);
	if (pidns && pidns->path && *pidns->path) {
		/* A pid namespace is entered by the next child: join it for the clone only. */
		host_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		if (host_pidns < 0)
			return berr_sys(err, errno, "open /proc/self/ns/pid");
		if (ns_join_pid_path(x->spec, err) < 0)
			return -1;
	}
	if ((flags & CLONE_NEWCGROUP) && x->c.cgroup_driver != CGROUP_DRIVER_V2 &&
	    x->c.cgroup_driver != CGROUP_DRIVER_DISABLED) {
		flags &= ~(uint64_t)CLONE_NEWCGROUP;
		cfg.unshare_cgroupns = true;
	}
	/* Offsets can be written only while no process is in the time
	 * namespace: make it ours for children (unshare), write them, let the
	 * clone be born in it, then return our children to the host's. */
	const struct berth_linux *l = &x->spec->linux_;
	if ((flags & CLONE_NEWTIME) && (l->time_monotonic.present || l->time_boottime.present)) {
		host_timens = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
		if (host_timens < 0)
			return berr_sys(err, errno, "open /proc/self/ns/time");
		if (unshare(CLONE_NEWTIME) < 0)
			return berr_sys(err, errno,
					"linux.timeOffsets: unshare the time namespace");
		if (timens_write_offsets(getpid(), x->spec, x->procfd, err) < 0)
			return -1;
		flags &= ~(uint64_t)CLONE_NEWTIME;
	}
	_cleanup_self_join_ struct cgroup_self_join sj = {.n = 0};
	if (x->c.cgroup && cgroup_manager_open_self_join(x->c.cgroup, &sj, err) < 0)
		return -1;
	cfg.self_join = &sj;
	x->pid = clone3_fork(flags, cgroup_manager_clone_fd(x->c.cgroup), &x->pidfd, err);
	if (x->pid == 0)
		init_run(&cfg);
	cgroup_self_join_close(&sj);
	if (host_pidns >= 0 && setns(host_pidns, CLONE_NEWPID) < 0 && x->pid > 0)
		return berr_sys(err, errno, "return to the host pid namespace");
	if (host_timens >= 0 && setns(host_timens, CLONE_NEWTIME) < 0 && x->pid > 0)
		return berr_sys(err, errno, "return to the host time namespace");
	if (x->pid < 0)
		return -1;
	crash_point("create.cloned");
	/* Before anything else: from now on delete -f can find and kill it. */
	x->c.start_time = proc_start_time(x->pid);
	if (intent_record_init(x->c.dir_fd, x->pid, x->c.start_time, err) < 0)
		return -1;
	crash_point("create.init-recorded");
	close(x->sync[1]);
	x->sync[1] = -1;
	if (cgroup_manager_add_pid(x->c.cgroup, x->pid, err) < 0)
		return -1;
	/* the systemd driver learns its cgroup only now, from systemd */
	if (strcmp(x->c.cgroup_path, cgroup_manager_path(x->c.cgroup)) != 0) {
		free(x->c.cgroup_path);
		x->c.cgroup_path = strdup(cgroup_manager_path(x->c.cgroup));
		if (!x->c.cgroup_path)
			return berr_sys(err, ENOMEM, "cgroup path");
		if (intent_record_cgroup(x->c.dir_fd, x->rootfs, cgroup_manager_driver(x->c.cgroup),
					 x->c.cgroup_path, err) < 0)
			return -1;
	}
	crash_point("create.placed");
	if (process_write_oom_score_adj(x->pid, &x->spec->process, x->procfd, err) < 0)
		return -1;
	if ((flags & CLONE_NEWTIME) && timens_write_offsets(x->pid, x->spec, x->procfd, err) < 0)
		return -1;
	/* The child builds mounts while we placed it: it may have failed and
	 * gone already. Then its own error waits in the socket; report that. */
	if (sync_send(x->sync[0], SYNC_GO, 0, NULL, 0, -1, err) < 0 && err->errnum != EPIPE &&
	    err->errnum != ECONNRESET)
		return -1;
	crash_point("create.go-sent");
	return serve_child(x, err);
}

static void create_cleanup(struct create_ctx *x, bool failed)
{
	struct berth_error ignored;

	if (failed && x->pid > 0) {
		pidfd_signal(x->pidfd, SIGKILL, &ignored);
		while (waitpid(x->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (failed && x->c.cgroup)
		cgroup_manager_destroy(x->c.cgroup, &ignored);
	if (failed && x->dir_made && host_rootfs_release(x->c.dir_fd, x->rootfs, &ignored) < 0)
		log_warn("%s", ignored.msg);
	if (failed && x->dir_made)
		state_dir_remove(x->ro->root, x->o->id);
	if (failed && x->pty_master >= 0)
		close(x->pty_master);
	if (failed && x->pidfd >= 0)
		close(x->pidfd);
	for (int i = 0; i < 2; i++)
		if (x->sync[i] >= 0)
			close(x->sync[i]);
	if (x->console_sock >= 0)
		close(x->console_sock);
	if (x->start_fd >= 0)
		close(x->start_fd);
	if (x->procfd >= 0)
		close(x->procfd);
	if (x->seccomp)
		seccomp_filter_free(x->seccomp);
	container_release_new(&x->c);
}

int runtime_create(const struct runtime_opts *ro, const struct create_opts *o,
		   struct created_container *out, struct berth_error *err)
{
	struct create_ctx x = {.ro = ro,
			       .o = o,
			       .console_sock = -1,
			       .start_fd = -1,
			       .procfd = -1,
			       .sync = {-1, -1},
			       .pidfd = -1,
			       .pty_master = -1};
	int rc = -1;

	x.c.dir_fd = -1;
	x.c.lock_fd = -1;
	if (container_id_validate(o->id, err) < 0 || check_preserved_fds(o, err) < 0)
		return -1;
	if (pidfile_absolute(o->pid_file, x.pid_file, err) < 0)
		return -1;
	if (bundle_load(o->bundle, true, x.bundle, x.rootfs, &x.spec, err) < 0 ||
	    take_listen_fds(&x, err) < 0)
		goto out;
	enum exeseal_mode seal = exeseal_needed(x.spec, 0);
	if (ro->argv && !exeseal_is_sealed(seal)) {
		exeseal_reexec(seal, ro->argv, err);
		goto out; /* reached only when the re-exec failed */
	}
	if (o->foreground) {
		/* Blocked before the clone so none is lost; the init unblocks its own. */
		sigset_t all;
		sigfillset(&all);
		if (sigprocmask(SIG_BLOCK, &all, &out->old_sigmask) < 0) {
			berr_sys(err, errno, "sigprocmask");
			goto out;
		}
	}
	/* The state dir first: the seccomp cache lives under its root. */
	if (console_socket_setup(&x.spec->process, o->console_socket, o->foreground,
				 &x.console_sock, err) < 0 ||
	    make_state_dir(&x, err) < 0 || prepare_security(&x, err) < 0 ||
	    make_cgroup(&x, err) < 0 || spawn_init(&x, err) < 0)
		goto out;
	x.c.pid = x.pid;
	x.c.has_poststart = x.spec->hooks.poststart.n > 0;
	x.c.has_poststop = x.spec->hooks.poststop.n > 0;
	crash_point("create.ready");
	if (container_save(&x.c, err) < 0)
		goto out;
	crash_point("create.saved");
	if (x.pid_file[0]) {
		struct pidfile pf;
		int prc = pidfile_prepare(x.pid_file, &pf, err);
		if (prc == 0)
			prc = pidfile_commit(&pf, x.pid, err);
		pidfile_close(&pf);
		if (prc < 0)
			goto out;
		crash_point("create.pid-file");
	}
	log_debug("created container %s, init pid %d", o->id, (int)x.pid);
	rc = 0;
out:
	create_cleanup(&x, rc < 0);
	if (rc < 0 && o->foreground)
		sigprocmask(SIG_SETMASK, &out->old_sigmask, NULL);
	if (rc < 0) {
		berth_spec_free(x.spec);
		return -1;
	}
	out->pid = x.pid;
	out->pidfd = x.pidfd;
	out->pty_master = x.pty_master;
	out->spec = x.spec;
	return 0;
}
