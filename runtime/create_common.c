/* create_common.c - see create_common.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "create_common.h"
#include "crash_point.h"
#include "intent.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/process/process.h"

int bundle_load(const char *arg, bool need_process, char bundle[PATH_MAX], char rootfs[PATH_MAX],
		struct berth_spec **spec, struct berth_error *err)
{
	const char *b = arg ? arg : ".";
	char path[PATH_MAX + 16];
	struct stat st;

	if (!realpath(b, bundle))
		return berr_sys(err, errno, "bundle %s", b);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	*spec = berth_spec_load(path, err);
	if (!*spec)
		return -1;
	if (need_process && !(*spec)->has_process)
		return berr_set(err, "process: the container needs a process to create");
	if (!(*spec)->root.path)
		return berr_set(err, "root.path: missing");
	if ((*spec)->root.path[0] == '/')
		snprintf(path, sizeof(path), "%s", (*spec)->root.path);
	else
		snprintf(path, sizeof(path), "%s/%s", bundle, (*spec)->root.path);
	if (!realpath(path, rootfs) || stat(rootfs, &st) < 0)
		return berr_sys(err, errno, "rootfs (%s) does not exist", path);
	if (!S_ISDIR(st.st_mode))
		return berr_set(err, "rootfs (%s) is not a directory", path);
	return 0;
}

int console_socket_setup(struct berth_process *p, const char *console_socket, bool foreground,
			 int *sock, struct berth_error *err)
{
	bool tty = p->terminal;

	*sock = -1;
	if (tty && !console_socket && !foreground)
		return berr_set(err, "cannot allocate tty if berth will detach without setting "
				     "console socket");
	if (tty && !console_socket)
		console_size_from_caller(p);
	if (!tty && console_socket)
		return berr_set(err, "cannot use console socket if berth will not detach or "
				     "allocate tty");
	if (console_socket) {
		*sock = console_socket_connect(console_socket, err);
		if (*sock < 0)
			return -1;
	}
	return 0;
}

/* The caller's name from the host's /etc/passwd, for `list`'s OWNER
 * column; "" is a fine answer. */
static char *user_name_of(uid_t uid)
{
	struct passwd_file pf;
	struct passwd_entry e;
	char *name = NULL;

	if (passwd_open(&pf, "/etc/passwd") == 0) {
		while (!name && passwd_next(&pf, &e))
			if (e.uid == uid)
				name = strdup(e.name);
		passwd_close(&pf);
	}
	return name ? name : strdup("");
}

static void now_rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

int container_fill_new(struct container *c, const char *root, const char *id, const char *bundle,
		       const char *rootfs, const struct berth_spec *spec, struct berth_error *err)
{
	char created[64];

	now_rfc3339(created, sizeof(created));
	c->root = strdup(root);
	c->id = strdup(id);
	c->bundle = strdup(bundle);
	c->rootfs = strdup(rootfs);
	c->created = strdup(created);
	c->owner = user_name_of(geteuid());
	c->annotations = spec->annotations;
	c->n_annotations = spec->n_annotations;
	if (!c->root || !c->id || !c->bundle || !c->rootfs || !c->created || !c->owner)
		return berr_sys(err, ENOMEM, "container state");
	return 0;
}

static int note_cgroup(struct container *c, struct berth_error *err)
{
	bool off = cgroup_manager_is_disabled(c->cgroup);

	c->cgroup_driver = off ? CGROUP_DRIVER_DISABLED : cgroup_manager_driver(c->cgroup);
	c->cgroup_path = strdup(cgroup_manager_path(c->cgroup));
	if (!c->cgroup_path)
		return berr_sys(err, ENOMEM, "cgroup path");
	return 0;
}

int container_make_cgroup(struct container *c, const struct berth_spec *spec,
			  const struct runtime_opts *ro, const char *step, struct berth_error *err)
{
	struct cgroup_params p = {
	    .id = c->id,
	    .cgroups_path = spec->linux_.cgroups_path,
	    .manager = ro->cgroup_manager,
	    .rootless = ro->rootless,
	    .annotations = spec->annotations,
	    .n_annotations = spec->n_annotations,
	};
	char point[64];

	c->cgroup = cgroup_manager_new(&p, err);
	if (!c->cgroup)
		return -1;
	c->systemd_cgroup = ro->systemd_cgroup;
	/* Written ahead: a kill from here on leaves delete -f the paths to remove. */
	if (intent_record_cgroup(c->dir_fd, c->rootfs, cgroup_manager_driver(c->cgroup),
				 cgroup_manager_path(c->cgroup), err) < 0)
		goto fail;
	snprintf(point, sizeof(point), "%s.cgroup-recorded", step);
	crash_point(point);
	/* linux.devices only makes nodes: the device rules are
	 * linux.resources.devices alone, as with runc. */
	if (cgroup_manager_create(c->cgroup, &spec->linux_.resources, err) < 0)
		goto fail;
	snprintf(point, sizeof(point), "%s.cgroup-made", step);
	crash_point(point);
	/* A rootless caller may have fallen back to no cgroup: remember that. */
	return note_cgroup(c, err);
fail:
	cgroup_manager_free(c->cgroup);
	c->cgroup = NULL;
	return -1;
}

char *container_hook_state(const struct container *c, const char *status, pid_t pid)
{
	json_t *o = container_state_object(c);
	char *s;

	if (!o)
		return NULL;
	json_object_set_new(o, "status", json_string(status));
	json_object_set_new(o, "pid", json_integer(pid));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

void container_release_new(struct container *c)
{
	c->annotations = NULL; /* borrowed from the spec */
	c->n_annotations = 0;
	if (c->cgroup)
		cgroup_manager_free(c->cgroup);
	if (c->dir_fd >= 0)
		close(c->dir_fd);
	free(c->root);
	free(c->id);
	free(c->bundle);
	free(c->rootfs);
	free(c->created);
	free(c->owner);
	free(c->cgroup_path);
}
