/* restore.c - `restore`: a new container (any ID) from CRIU images.
 *
 * As create: the bundle is loaded, the state dir and the cgroup (with its
 * limits) are made first. Then CRIU rebuilds the process tree into that
 * cgroup, in a mount tree rooted at a bind mount of the rootfs under the
 * state dir, with the stdio pipes of the dump replaced by berth's own
 * stdio. The prestart and createRuntime hooks run when CRIU has set up the
 * namespaces (runc's "setup-namespaces" point); state.json is written as
 * create writes it, but without an exec fifo: the container is running. On
 * failure nothing is left: no process, cgroup, mount or state dir. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint.h"
#include "container.h"
#include "create_common.h"
#include "criu_images.h"
#include "intent.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/process/process.h"
#include "libcontainer/log.h"
#include "state_dir.h"

struct restore_ctx {
	const struct runtime_opts *ro;
	const struct restore_opts *o;
	struct berth_spec *spec;
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	char criu_root[PATH_MAX];
	char pid_file[PATH_MAX];
	char *descriptors[3];
	struct criu_dirs d;
	struct container c;
	bool dir_made, mounted;
	struct criu_request *req; /* while criu runs */
	int console_sock;
	pid_t pid;
};

static int make_state_dir(struct restore_ctx *x, struct berth_error *err)
{
	x->c.dir_fd = state_dir_create(x->ro->root, x->o->c.id, err);
	if (x->c.dir_fd < 0)
		return -1;
	x->dir_made = true;
	x->c.lock_fd = x->c.dir_fd;
	x->c.has_poststart = x->spec->hooks.poststart.n > 0;
	x->c.has_poststop = x->spec->hooks.poststop.n > 0;
	return container_fill_new(&x->c, x->ro->root, x->o->c.id, x->bundle, x->rootfs, x->spec,
				  err);
}

static int make_cgroup(struct restore_ctx *x, struct berth_error *err)
{
	return container_make_cgroup(&x->c, x->spec, x->ro, "restore", err);
}

/* CRIU builds the restored mount tree on a mount of its own: a recursive
 * bind of the rootfs, detached again once the tree has its namespace. */
static int mount_criu_root(struct restore_ctx *x, struct berth_error *err)
{
	snprintf(x->criu_root, sizeof(x->criu_root), "%s/%s/%s", x->ro->root, x->o->c.id,
		 STATE_CRIU_ROOT);
	if (mkdirat(x->c.dir_fd, STATE_CRIU_ROOT, 0700) < 0 && errno != EEXIST)
		return berr_sys(err, errno, "mkdir %s", x->criu_root);
	if (criu_root_bind(x->rootfs, x->criu_root, err) < 0)
		return -1;
	x->mounted = true;
	return 0;
}

static void unmount_criu_root(struct restore_ctx *x)
{
	if (x->mounted)
		criu_root_unbind(x->criu_root);
	x->mounted = false;
	if (x->criu_root[0])
		unlinkat(x->c.dir_fd, STATE_CRIU_ROOT, AT_REMOVEDIR);
}

static int on_notify(void *ctx, const char *script, pid_t pid, int fd, struct berth_error *err)
{
	struct restore_ctx *x = ctx;

	if (strcmp(script, "setup-namespaces") == 0) {
		_cleanup_free_ char *state = container_hook_state(&x->c, "creating", pid);
		const struct berth_hooks *h = &x->spec->hooks;
		if (!state)
			return berr_set(err, "encode the state for hooks");
		if (hooks_run(&h->prestart, "prestart", state, err) < 0 ||
		    hooks_run(&h->create_runtime, "createRuntime", state, err) < 0)
			return -1;
	} else if (strcmp(script, "post-restore") == 0) {
		x->pid = pid;
		/* From now on delete -f can find and kill it. */
		if (intent_record_init(x->c.dir_fd, pid, proc_start_time(pid), err) < 0)
			return -1;
	} else if (strcmp(script, "orphan-pts-master") == 0) {
		if (fd < 0)
			return berr_set(err, "criu sent no pty master");
		int rc = x->console_sock >= 0 ? console_send_fd(x->console_sock, fd, err) : 0;
		close(fd);
		return rc;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

/* A systemd unit exists only around a process: criu's, as runc does it
 * (the unit's limits then hold criu too). CRIU moves the restored tree
 * into the unit's cgroup and exits. Other drivers made the cgroup already. */
static int on_spawned(void *ctx, pid_t criu_pid, struct berth_error *err)
{
	struct restore_ctx *x = ctx;
	char path[PATH_MAX];

	if (!cgroup_driver_is_systemd(x->c.cgroup_driver))
		return 0;
	if (cgroup_manager_add_pid(x->c.cgroup, criu_pid, err) < 0)
		return -1;
	/* the unit's directories are known from now on */
	if (!criu_cgroup_v2(&x->c) && criu_add_cgroup_binds(x->req, x->spec, x->c.cgroup, err) < 0)
		return -1;
	/* systemd names the unit's cgroup now: record it, and restore there. */
	free(x->c.cgroup_path);
	x->c.cgroup_path = strdup(cgroup_manager_path(x->c.cgroup));
	if (!x->c.cgroup_path)
		return berr_sys(err, ENOMEM, "restore");
	criu_cgroup_primary(x->c.cgroup_path, path, sizeof(path));
	free(x->req->cg_root);
	if (!(x->req->cg_root = strdup(path)))
		return berr_sys(err, ENOMEM, "restore");
	return intent_record_cgroup(x->c.dir_fd, x->rootfs, x->c.cgroup_driver, x->c.cgroup_path,
				    err);
}

/* Pipes of the dumped stdio become berth's own stdio in the restored tree. */
static int add_stdio(struct restore_ctx *x, struct criu_request *r, struct berth_error *err)
{
	for (int i = 0; i < 3; i++)
		if (x->descriptors[i] && strstr(x->descriptors[i], "pipe:") &&
		    criu_request_add_inherit(r, x->descriptors[i], i, err) < 0)
			return -1;
	return 0;
}

static int run_criu(struct restore_ctx *x, struct berth_error *err)
{
	char log[PATH_MAX * 2];
	struct criu_request r;
	struct criu_result res = {0};
	bool has_cgroup = x->c.cgroup_driver != CGROUP_DRIVER_DISABLED;
	bool v2 = has_cgroup && criu_cgroup_v2(&x->c);
	char cgpath[PATH_MAX], cgdir[PATH_MAX + 16];
	criu_cgroup_primary(x->c.cgroup_path, cgpath, sizeof(cgpath));
	snprintf(cgdir, sizeof(cgdir), "/sys/fs/cgroup%s", cgpath);
	struct criu_ct ct = {
	    .spec = x->spec,
	    .bundle = x->bundle,
	    .root = x->criu_root,
	    .cgroup_path = has_cgroup ? cgpath : NULL,
	    .cgroup_dir = v2 ? cgdir : NULL,
	};
	const int stdio[3] = {0, 1, 2};
	int rc = -1;

	criu_request_init(&r, CRIU_ACTION_RESTORE);
	r.criu_bin = x->ro->criu;
	criu_dirs_log_path(&x->d, "restore.log", log, sizeof(log));
	if (criu_request_set_flags(&r, &x->o->f, &x->d, "restore.log", err) < 0 ||
	    criu_request_from_container(&r, &ct, err) < 0 || add_stdio(x, &r, err) < 0)
		goto out;
	if (has_cgroup && !v2 && !cgroup_driver_is_systemd(x->c.cgroup_driver) &&
	    criu_add_cgroup_binds(&r, x->spec, x->c.cgroup, err) < 0)
		goto out;
	if ((x->o->lsm_profile && !(r.lsm_profile = strdup(x->o->lsm_profile))) ||
	    (x->o->lsm_mount_context && !(r.lsm_mount_context = strdup(x->o->lsm_mount_context)))) {
		berr_sys(err, ENOMEM, "criu request");
		goto out;
	}
	x->req = &r;
	rc = criu_run(&r, stdio, on_spawned, on_notify, x, log, &res, err);
	x->req = NULL;
	if (rc == 0 && res.restored_pid > 0)
		x->pid = res.restored_pid;
	if (rc == 0 && x->pid <= 0)
		rc = berr_set(err, "criu restored no process");
out:
	criu_request_free(&r);
	return rc;
}

static int write_pid_file(struct restore_ctx *x, struct berth_error *err)
{
	struct pidfile pf;
	int rc;

	if (!x->pid_file[0])
		return 0;
	rc = pidfile_prepare(x->pid_file, &pf, err);
	if (rc == 0)
		rc = pidfile_commit(&pf, x->pid, err);
	pidfile_close(&pf);
	return rc;
}

static void restore_cleanup(struct restore_ctx *x, bool failed)
{
	struct berth_error ignored;

	if (failed && x->pid > 0) {
		kill(x->pid, SIGKILL);
		while (waitpid(x->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (x->c.dir_fd >= 0)
		unmount_criu_root(x);
	if (failed && x->c.cgroup)
		cgroup_manager_destroy(x->c.cgroup, &ignored);
	if (failed && x->dir_made)
		state_dir_remove(x->ro->root, x->o->c.id);
	if (x->console_sock >= 0)
		close(x->console_sock);
	criu_dirs_close(&x->d);
	for (int i = 0; i < 3; i++)
		free(x->descriptors[i]);
	container_release_new(&x->c);
	berth_spec_free(x->spec);
}

static int restore_container(struct restore_ctx *x, struct berth_error *err)
{
	char image_path[PATH_MAX];
	struct stat st;

	if (container_id_validate(x->o->c.id, err) < 0)
		return -1;
	if (pidfile_absolute(x->o->c.pid_file, x->pid_file, err) < 0)
		return -1;
	/* An existing ID fails before anything is read, as with runc. */
	char dir[PATH_MAX * 2];
	snprintf(dir, sizeof(dir), "%s/%s", x->ro->root, x->o->c.id);
	if (lstat(dir, &st) == 0)
		return berr_set(err, "container with id exists: %s", x->o->c.id);
	if (criu_image_path(&x->o->f, image_path, sizeof(image_path), err) < 0 ||
	    criu_descriptors_read(image_path, x->descriptors, err) < 0 ||
	    criu_dirs_open(&x->o->f, false, &x->d, err) < 0)
		return -1;
	if (bundle_load(x->o->c.bundle, false, x->bundle, x->rootfs, &x->spec, err) < 0 ||
	    console_socket_setup(&x->spec->process, x->o->c.console_socket, false, &x->console_sock,
				 err) < 0 ||
	    make_state_dir(x, err) < 0 || make_cgroup(x, err) < 0 ||
	    criu_prepare_mountpoints(x->spec, x->bundle, x->rootfs, err) < 0 ||
	    mount_criu_root(x, err) < 0 || run_criu(x, err) < 0)
		return -1;
	x->c.pid = x->pid;
	x->c.start_time = proc_start_time(x->pid);
	if (container_save(&x->c, err) < 0 || write_pid_file(x, err) < 0)
		return -1;
	log_debug("restored container %s, init pid %d", x->o->c.id, (int)x->pid);
	return 0;
}

static int wait_and_delete(const struct runtime_opts *ro, const char *id, pid_t pid,
			   struct berth_error *err)
{
	int pidfd = pidfd_open_pid(pid, err);
	struct container *c;

	if (pidfd < 0)
		return -1;
	int status = runtime_wait_child(pid, pidfd, -1, err);
	close(pidfd);
	if (status < 0)
		return -1;
	struct berth_error ignored = {0};
	if (container_open(ro->root, id, true, &c, &ignored) == 0) {
		runtime_destroy(c, &ignored);
		container_close(c);
	}
	return status;
}

int runtime_restore(const struct runtime_opts *ro, const struct restore_opts *o,
		    struct berth_error *err)
{
	struct restore_ctx x = {.ro = ro, .o = o, .console_sock = -1};
	sigset_t all, old;

	x.c.dir_fd = -1;
	x.c.lock_fd = -1;
	x.d.image_fd = x.d.work_fd = -1;
	/* In the foreground, signals are forwarded from the moment the tree
	 * exists: block them now (criu itself starts with none blocked). */
	sigfillset(&all);
	if (!o->detach && sigprocmask(SIG_BLOCK, &all, &old) < 0)
		return berr_sys(err, errno, "sigprocmask");
	int rc = restore_container(&x, err);
	pid_t pid = x.pid;
	restore_cleanup(&x, rc < 0);
	if (rc == 0 && !o->detach)
		rc = wait_and_delete(ro, o->c.id, pid, err);
	if (!o->detach)
		sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
