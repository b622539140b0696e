/* checkpoint.c - `checkpoint`: dump a running container's process tree
 * with CRIU into an image directory, then (unless --leave-running or
 * --pre-dump) remove the container as runc does. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checkpoint.h"
#include "container.h"
#include "criu_images.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/log.h"

/* The parent names a previous (pre-)dump, relative to the image dir. */
static int check_parent(const char *image_path, const char *parent, struct berth_error *err)
{
	char path[PATH_MAX * 2];
	struct stat st;

	if (parent[0] == '/') {
		berr_set(err, "must be relative");
		return berr_reason(err, RUNTIME_ERR_PARENT_ABSOLUTE);
	}
	snprintf(path, sizeof(path), "%s/%s", image_path, parent);
	int e = stat(path, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (e) {
		berr_sys(err, e, "stat %s", path);
		return berr_reason(err, RUNTIME_ERR_PARENT_MISSING);
	}
	return 0;
}

static int dump(const struct container *c, const struct checkpoint_opts *o,
		const struct criu_dirs *d, const char *criu_bin, struct berth_error *err)
{
	char path[PATH_MAX + 16], log[PATH_MAX * 2];
	struct criu_request r;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/config.json", c->bundle);
	struct berth_spec *spec = berth_spec_load(path, err);
	if (!spec)
		return berr_prefix(err, "checkpoint %s", c->id);
	bool has_cgroup =
	    c->cgroup_driver != CGROUP_DRIVER_NONE && c->cgroup_driver != CGROUP_DRIVER_DISABLED;
	bool v2 = has_cgroup && criu_cgroup_v2(c);
	char cgpath[PATH_MAX], cgdir[PATH_MAX + 16];
	criu_cgroup_primary(c->cgroup_path, cgpath, sizeof(cgpath));
	snprintf(cgdir, sizeof(cgdir), "/sys/fs/cgroup%s", cgpath);
	struct criu_ct ct = {
	    .spec = spec,
	    .bundle = c->bundle,
	    .root = c->rootfs,
	    .pid = c->pid,
	    .cgroup_path = has_cgroup ? cgpath : NULL,
	    /* where CRIU finds the freezer of this container's cgroup */
	    .freezer_mount = v2 ? "/sys/fs/cgroup" : criu_freezer_mount(c->cgroup),
	    .cgroup_dir = v2 ? cgdir : NULL,
	};
	const int no_stdio[3] = {-1, -1, -1};

	criu_request_init(&r, o->pre_dump ? CRIU_ACTION_PRE_DUMP : CRIU_ACTION_DUMP);
	criu_dirs_log_path(d, "dump.log", log, sizeof(log));
	if (criu_request_set_flags(&r, &o->f, d, "dump.log", err) < 0 ||
	    criu_request_from_container(&r, &ct, err) < 0 ||
	    (has_cgroup && !v2 && criu_add_cgroup_binds(&r, spec, c->cgroup, err) < 0))
		goto out;
	r.criu_bin = criu_bin;
	r.leave_running = o->leave_running || o->pre_dump;
	r.status_fd = o->status_fd;
	if (o->page_server_address) {
		if (!(r.ps_address = strdup(o->page_server_address))) {
			berr_sys(err, ENOMEM, "criu request");
			goto out;
		}
		r.ps_port = o->page_server_port;
	}
	if (o->parent_path && !(r.parent_img = strdup(o->parent_path))) {
		berr_sys(err, ENOMEM, "criu request");
		goto out;
	}
	/* Memory tracking is what makes a later dump with a parent incremental. */
	r.track_mem = o->pre_dump || o->parent_path;
	if (!o->pre_dump && criu_descriptors_write(d->image_fd, c->pid, err) < 0)
		goto out;
	rc = criu_run(&r, no_stdio, NULL, NULL, NULL, log, NULL, err);
out:
	criu_request_free(&r);
	berth_spec_free(spec);
	return rc;
}

int runtime_checkpoint(const struct runtime_opts *ro, const struct checkpoint_opts *o,
		       struct berth_error *err)
{
	struct container *c;
	struct criu_dirs d = {.image_fd = -1, .work_fd = -1};
	int rc = -1;

	if (container_open(ro->root, o->id, true, &c, err) < 0)
		return -1;
	enum container_status s = container_status(c);
	if (s != CONTAINER_RUNNING && s != CONTAINER_PAUSED) {
		berr_set(err, "Container cannot be checkpointed in %s state",
			 container_status_name(s));
		goto out;
	}
	if (criu_dirs_open(&o->f, true, &d, err) < 0)
		goto out;
	if (o->parent_path && check_parent(d.image_path, o->parent_path, err) < 0)
		goto out;
	if (dump(c, o, &d, ro->criu, err) < 0)
		goto out;
	log_debug("checkpointed container %s into %s", o->id, d.image_path);
	rc = 0;
	/* CRIU killed the tree: what is left of the container goes, as with runc. */
	if (!o->leave_running && !o->pre_dump)
		rc = runtime_destroy(c, err);
out:
	criu_dirs_close(&d);
	container_close(c);
	return rc;
}
