/* create_common.h - the steps `create` and `restore` share to make a new
 * container: load the bundle, connect the console socket, fill in and
 * release the container record that becomes state.json. */
#ifndef BERTH_CREATE_COMMON_H
#define BERTH_CREATE_COMMON_H

#include <limits.h>
#include <stdbool.h>

#include "container.h"
#include "lifecycle.h"
#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* Resolve the bundle (NULL: ".") and its root.path to absolute paths and
 * load config.json; the rootfs must be a directory. */
int bundle_load(const char *arg, bool need_process, char bundle[PATH_MAX], char rootfs[PATH_MAX],
		struct berth_spec **spec, struct berth_error *err);

/* A terminal needs a console socket unless berth stays in the foreground,
 * and a console socket needs a terminal. Connects it: *sock, else -1. */
int console_socket_setup(struct berth_process *p, const char *console_socket, bool foreground,
			 int *sock, struct berth_error *err);

/* root, id, bundle, rootfs, created (now) and owner (the caller); the
 * annotations are borrowed from the spec. */
int container_fill_new(struct container *c, const char *root, const char *id, const char *bundle,
		       const char *rootfs, const struct berth_spec *spec, struct berth_error *err);
/* Make the container's cgroup from linux.cgroupsPath, linux.resources and
 * the annotations (org.systemd.property.* for the systemd driver), after
 * recording it in the intent file; fill in cgroup_driver ("disabled" when
 * the manager fell back) and cgroup_path. c needs id, rootfs and dir_fd.
 * step names the crash points ("create": create.cgroup-recorded, ...). */
int container_make_cgroup(struct container *c, const struct berth_spec *spec,
			  const struct runtime_opts *ro, const char *step, struct berth_error *err);
/* The state document handed to hooks; free() it. NULL on failure. */
char *container_hook_state(const struct container *c, const char *status, pid_t pid);
/* Free what container_fill_new/_note_cgroup filled in, close dir_fd and
 * the cgroup manager; the borrowed annotations are left alone. */
void container_release_new(struct container *c);

#endif
