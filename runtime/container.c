/* container.c - the state store: <root>/<id>/state.json, its lock, and
 * the status derived from the live system. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intent.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/process/process.h"

#define STATE_FILE "state.json"
#define FIFO_FILE  "exec.fifo"

int container_id_validate(const char *id, struct berth_error *err)
{
	size_t len = id ? strlen(id) : 0;

	if (len == 0)
		return berr_set(err, "container id cannot be empty");
	if (len > 1024)
		return berr_set(err, "invalid container id: longer than 1024 bytes");
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return berr_set(err, "invalid container id: %s", id);
	for (const char *c = id; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.' || *c == '+'))
			return berr_set(err, "invalid container id format: %s", id);
	}
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* state.json is missing (create never got that far, or was killed) or
 * unreadable: what create recorded ahead is all we know. */
static int read_intent(struct container *c, struct berth_error *err)
{
	struct intent in;

	if (intent_read(c->dir_fd, &in, err) < 0)
		return -1;
	c->incomplete = true;
	c->pid = in.pid;
	c->start_time = in.start_time;
	c->rootfs = in.rootfs;
	c->cgroup_driver = in.cgroup_driver;
	c->cgroup_path = in.cgroup_path;
	return 0;
}

static int read_state(struct container *c, struct berth_error *err)
{
	_cleanup_close_ int fd = openat(c->dir_fd, STATE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	json_error_t jerr;
	json_t *o, *ann;
	const char *k;
	json_t *v;

	if (fd < 0) {
		if (errno == ENOENT)
			return read_intent(c, err); /* being created, or killed while it was */
		return berr_sys(err, errno, "open state of container %s", c->id);
	}
	/* One read: jansson's loadfd reads a byte per syscall. */
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return berr_sys(err, errno, "read state of container %s", c->id);
	o = json_loadb(buf, (size_t)n, 0, &jerr);
	if (!o)
		return berr_set(err, "read state of container %s: %s", c->id, jerr.text);
	c->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
	c->start_time = (uint64_t)json_integer_value(json_object_get(o, "startTime"));
	c->bundle = dup_or_null(json_string_value(json_object_get(o, "bundle")));
	c->rootfs = dup_or_null(json_string_value(json_object_get(o, "rootfs")));
	c->created = dup_or_null(json_string_value(json_object_get(o, "created")));
	c->owner = dup_or_null(json_string_value(json_object_get(o, "owner")));
	const char *driver = json_string_value(json_object_get(o, "cgroupDriver"));
	if (driver && cgroup_driver_from_name(driver, &c->cgroup_driver) < 0) {
		berr_set(err, "container %s: unknown cgroup driver \"%s\" in state", c->id, driver);
		json_decref(o);
		return -1;
	}
	c->cgroup_path = dup_or_null(json_string_value(json_object_get(o, "cgroupPath")));
	c->systemd_cgroup = json_is_true(json_object_get(o, "systemdCgroup"));
	c->has_poststart = json_is_true(json_object_get(o, "hasPoststart"));
	c->has_poststop = json_is_true(json_object_get(o, "hasPoststop"));
	ann = json_object_get(o, "annotations");
	if (json_is_object(ann) && json_object_size(ann) > 0) {
		c->annotations = calloc(json_object_size(ann), sizeof(*c->annotations));
		if (c->annotations)
			json_object_foreach(ann, k, v)
			{
				if (!json_is_string(v))
					continue;
				c->annotations[c->n_annotations].key = strdup(k);
				c->annotations[c->n_annotations].value =
				    strdup(json_string_value(v));
				c->n_annotations++;
			}
	}
	json_decref(o);
	return 0;
}

static int open_cgroup(struct container *c, struct berth_error *err)
{
	if (c->cgroup_driver == CGROUP_DRIVER_NONE || !c->cgroup_path)
		return 0;
	c->cgroup = cgroup_manager_open(c->cgroup_driver, c->cgroup_path, err);
	return c->cgroup ? 0 : berr_prefix(err, "container %s", c->id);
}

static int open_dir(const char *root, const char *id, bool lock, struct container **out,
		    struct berth_error *err)
{
	struct container *c;

	if (container_id_validate(id, err) < 0)
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return berr_sys(err, ENOMEM, "allocate container");
	c->dir_fd = -1;
	c->lock_fd = -1;
	c->root = strdup(root);
	c->id = strdup(id);
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd >= 0)
		c->dir_fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (c->dir_fd < 0) {
		int e = errno;
		container_close(c);
		if (e == ENOENT || e == ENOTDIR)
			return berr_set(err, "container %s does not exist", id);
		return berr_sys(err, e, "open state of container %s", id);
	}
	if (lock) {
		if (flock(c->dir_fd, LOCK_EX) < 0) {
			int e = errno;
			container_close(c);
			return berr_sys(err, e, "lock container %s", id);
		}
		c->lock_fd = c->dir_fd;
		/* Removed by the delete we waited for: gone, not "creating". */
		struct stat st;
		if (fstat(c->dir_fd, &st) == 0 && st.st_nlink == 0) {
			container_close(c);
			return berr_set(err, "container %s does not exist", id);
		}
	}
	*out = c;
	return 0;
}

int container_open(const char *root, const char *id, bool lock, struct container **out,
		   struct berth_error *err)
{
	struct container *c;

	if (open_dir(root, id, lock, &c, err) < 0)
		return -1;
	if (read_state(c, err) < 0 || open_cgroup(c, err) < 0) {
		container_close(c);
		return -1;
	}
	*out = c;
	return 0;
}

int container_open_salvage(const char *root, const char *id, struct container **out,
			   struct berth_error *err)
{
	struct container *c;

	if (open_dir(root, id, true, &c, err) < 0)
		return -1;
	if (read_intent(c, err) < 0 || open_cgroup(c, err) < 0) {
		container_close(c);
		return -1;
	}
	*out = c;
	return 0;
}

void container_close(struct container *c)
{
	if (!c)
		return;
	if (c->dir_fd >= 0)
		close(c->dir_fd); /* also drops the lock */
	if (c->cgroup)
		cgroup_manager_free(c->cgroup);
	for (size_t i = 0; i < c->n_annotations; i++) {
		free(c->annotations[i].key);
		free(c->annotations[i].value);
	}
	free(c->annotations);
	free(c->root);
	free(c->id);
	free(c->bundle);
	free(c->rootfs);
	free(c->created);
	free(c->owner);
	free(c->cgroup_path);
	free(c);
}

enum container_status container_status(const struct container *c)
{
	struct stat st;
	bool frozen = false;
	struct berth_error ignored;

	if (c->pid <= 0 || c->incomplete)
		return CONTAINER_CREATING;
	if (proc_start_time(c->pid) != c->start_time)
		return CONTAINER_STOPPED;
	if (fstatat(c->dir_fd, FIFO_FILE, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return CONTAINER_CREATED;
	if (c->cgroup && cgroup_manager_is_frozen(c->cgroup, &frozen, &ignored) == 0 && frozen)
		return CONTAINER_PAUSED;
	return CONTAINER_RUNNING;
}

const char *container_status_name(enum container_status s)
{
	switch (s) {
	case CONTAINER_CREATING:
		return "creating";
	case CONTAINER_CREATED:
		return "created";
	case CONTAINER_RUNNING:
		return "running";
	case CONTAINER_PAUSED:
		return "paused";
	case CONTAINER_STOPPED:
		return "stopped";
	}
	return "unknown";
}

static json_t *annotations_json(const struct container *c)
{
	json_t *a = json_object();

	for (size_t i = 0; i < c->n_annotations; i++)
		json_object_set_new(a, c->annotations[i].key, json_string(c->annotations[i].value));
	return a;
}

int container_save(const struct container *c, struct berth_error *err)
{
	json_t *o = json_pack("{s:s, s:s, s:i, s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b}",
			      "ociVersion", "1.3.0", "id", c->id, "pid", (int)c->pid, "startTime",
			      (json_int_t)c->start_time, "bundle", c->bundle ? c->bundle : "",
			      "rootfs", c->rootfs ? c->rootfs : "", "created",
			      c->created ? c->created : "", "owner", c->owner ? c->owner : "",
			      "cgroupDriver", cgroup_driver_name(c->cgroup_driver), "cgroupPath",
			      c->cgroup_path, "systemdCgroup", c->systemd_cgroup);
	char *text;
	int fd, rc = 0;

	if (!o)
		return berr_set(err, "encode state of container %s", c->id);
	json_object_set_new(o, "annotations", annotations_json(c));
	json_object_set_new(o, "hasPoststart", json_boolean(c->has_poststart));
	json_object_set_new(o, "hasPoststop", json_boolean(c->has_poststop));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return berr_set(err, "encode state of container %s", c->id);
	fd = openat(c->dir_fd, STATE_FILE ".tmp",
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		free(text);
		return berr_sys(err, errno, "write state of container %s", c->id);
	}
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len)
		rc = berr_sys(err, errno ? errno : EIO, "write state of container %s", c->id);
	if (close(fd) < 0 && rc == 0)
		rc = berr_sys(err, errno, "write state of container %s", c->id);
	free(text);
	if (rc == 0 && renameat(c->dir_fd, STATE_FILE ".tmp", c->dir_fd, STATE_FILE) < 0)
		rc = berr_sys(err, errno, "write state of container %s", c->id);
	return rc;
}

/* runc's field order (its containerState struct), which `list --format
 * json` and `state` readers that compare text rely on: annotations, when
 * there are any, come between created and owner. */
json_t *container_state_object(const struct container *c)
{
	enum container_status s = container_status(c);
	json_t *o =
	    json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "ociVersion", "1.3.0", "id", c->id,
		      "pid", s == CONTAINER_STOPPED ? 0 : (int)c->pid, "status",
		      container_status_name(s), "bundle", c->bundle ? c->bundle : "", "rootfs",
		      c->rootfs ? c->rootfs : "", "created", c->created ? c->created : "");
	if (o && c->n_annotations)
		json_object_set_new(o, "annotations", annotations_json(c));
	if (o && json_object_set_new(o, "owner", json_string(c->owner ? c->owner : "")) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *container_state_json(const struct container *c, struct berth_error *err)
{
	json_t *o = container_state_object(c);
	char *s = o ? json_dumps(o, JSON_INDENT(2)) : NULL;

	json_decref(o);
	if (!s)
		berr_set(err, "encode state of container %s", c->id);
	return s;
}
