/* criu_images.c - what checkpoint and restore share: the image and work
 * directories, descriptors.json, and the CRIU flags of both commands. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "checkpoint.h"
#include "container.h"
#include "criu_images.h"
#include "libcontainer/cleanup.h"

#define DESCRIPTORS_FILE "descriptors.json"

int criu_parse_empty_ns(const char *name, uint32_t *flags, struct berth_error *err)
{
	if (strcmp(name, "network") != 0)
		return berr_set(err, "namespace \"%s\" is not supported", name);
	*flags |= CLONE_NEWNET;
	return 0;
}

int criu_parse_cg_mode(const char *name)
{
	static const struct {
		const char *name;
		enum criu_cg_mode mode;
	} modes[] = {
	    {"soft", CRIU_CG_SOFT},
	    {"full", CRIU_CG_FULL},
	    {"strict", CRIU_CG_STRICT},
	    {"ignore", CRIU_CG_IGNORE},
	};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(modes[i].name, name) == 0)
			return (int)modes[i].mode;
	return -1;
}

/* mkdir -p with mode for the components it makes. */
static int mkdir_p(const char *path, mode_t mode, struct berth_error *err)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return berr_set(err, "%s: path too long", path);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return berr_sys(err, errno, "mkdir %s", buf);
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

int criu_image_path(const struct criu_flags *f, char *buf, size_t len, struct berth_error *err)
{
	char cwd[PATH_MAX];

	if (f->image_path) {
		snprintf(buf, len, "%s", f->image_path);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return berr_sys(err, errno, "getcwd");
	snprintf(buf, len, "%s/checkpoint", cwd);
	return 0;
}

int criu_dirs_open(const struct criu_flags *f, bool create, struct criu_dirs *d,
		   struct berth_error *err)
{
	d->image_fd = d->work_fd = -1;
	if (criu_image_path(f, d->image_path, sizeof(d->image_path), err) < 0)
		return -1;
	if (create && mkdir_p(d->image_path, 0700, err) < 0)
		return -1;
	d->image_fd = open(d->image_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->image_fd < 0)
		return berr_sys(err, errno, "open %s", d->image_path);
	snprintf(d->work_path, sizeof(d->work_path), "%s", f->work_path ? f->work_path : "");
	if (f->work_path) {
		if (mkdir_p(f->work_path, 0700, err) < 0)
			return -1;
		d->work_fd = open(f->work_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (d->work_fd < 0)
			return berr_sys(err, errno, "open %s", f->work_path);
	}
	return 0;
}

void criu_dirs_close(struct criu_dirs *d)
{
	if (d->image_fd >= 0)
		close(d->image_fd);
	if (d->work_fd >= 0)
		close(d->work_fd);
	d->image_fd = d->work_fd = -1;
}

void criu_dirs_log_path(const struct criu_dirs *d, const char *log, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", d->work_path[0] ? d->work_path : d->image_path, log);
}

int criu_request_set_flags(struct criu_request *r, const struct criu_flags *f,
			   const struct criu_dirs *d, const char *log, struct berth_error *err)
{
	r->images_dir_fd = d->image_fd;
	r->work_dir_fd = d->work_fd;
	r->tcp_established = f->tcp_established;
	r->ext_unix_sk = f->ext_unix_sk;
	r->shell_job = f->shell_job;
	r->file_locks = f->file_locks;
	r->lazy_pages = f->lazy_pages;
	r->auto_dedup = f->auto_dedup;
	r->empty_ns = f->empty_ns;
	if (f->manage_cgroups_mode) {
		int m = criu_parse_cg_mode(f->manage_cgroups_mode);
		if (m < 0)
			return berr_set(err, "Invalid manage cgroups mode");
		r->cg_mode = (enum criu_cg_mode)m;
	}
	if (!(r->log_file = strdup(log)))
		return berr_sys(err, ENOMEM, "criu request");
	return 0;
}

void criu_cgroup_primary(const char *saved, char *buf, size_t len)
{
	size_t n = saved ? strcspn(saved, "\n") : 0;

	snprintf(buf, len, "%.*s", (int)n, saved ? saved : "");
}

bool criu_cgroup_v2(const struct container *c)
{
	return c->cgroup ? cgroup_manager_v2_only(c->cgroup)
			 : cgroup_driver_is_v2(c->cgroup_driver);
}

int criu_add_cgroup_binds(struct criu_request *r, const struct berth_spec *spec,
			  const struct cgroup_manager *m, struct berth_error *err)
{
	struct criu_cgroup_bind b[CGROUP_SELF_JOIN_MAX];
	const char *ctrls, *mount, *dir;
	size_t n = 0;

	for (size_t i = 0;
	     m && n < CGROUP_SELF_JOIN_MAX && cgroup_manager_hierarchy(m, i, &ctrls, &mount, &dir);
	     i++) {
		const char *name = strrchr(mount, '/');
		if (!dir || !name || !name[1])
			continue;
		b[n++] = (struct criu_cgroup_bind){.name = name + 1, .host_dir = dir};
	}
	return n ? criu_request_add_cgroup_binds(r, spec, b, n, err) : 0;
}

const char *criu_freezer_mount(const struct cgroup_manager *m)
{
	const char *ctrls, *mount, *dir;

	for (size_t i = 0; m && cgroup_manager_hierarchy(m, i, &ctrls, &mount, &dir); i++) {
		size_t len = strlen("freezer");
		for (const char *c = ctrls; c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL)
			if (strncmp(c, "freezer", len) == 0 && (c[len] == ',' || !c[len]))
				return mount;
	}
	return "/sys/fs/cgroup/freezer";
}

int criu_descriptors_write(int image_fd, pid_t pid, struct berth_error *err)
{
	json_t *a = json_array();
	char link[64], target[PATH_MAX];

	if (!a)
		return berr_sys(err, ENOMEM, DESCRIPTORS_FILE);
	for (int i = 0; i < 3; i++) {
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, i);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		/* A closed stdio slot: runc records what it opened, /dev/null. */
		if (n < 0)
			snprintf(target, sizeof(target), "/dev/null");
		else
			target[n] = '\0';
		json_array_append_new(a, json_string(target));
	}
	_cleanup_free_ char *text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!text)
		return berr_sys(err, ENOMEM, DESCRIPTORS_FILE);
	_cleanup_close_ int fd =
	    openat(image_fd, DESCRIPTORS_FILE,
		   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return berr_sys(err, errno, "write %s", DESCRIPTORS_FILE);
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len)
		return berr_sys(err, errno ? errno : EIO, "write %s", DESCRIPTORS_FILE);
	return 0;
}

int criu_descriptors_read(const char *image_path, char *out[3], struct berth_error *err)
{
	json_error_t jerr;
	char buf[3 * PATH_MAX + 64];
	char path[PATH_MAX + 32];

	out[0] = out[1] = out[2] = NULL;
	snprintf(path, sizeof(path), "%s/%s", image_path, DESCRIPTORS_FILE);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return berr_sys(err, errno, "open %s/%s", image_path, DESCRIPTORS_FILE);
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return berr_sys(err, errno, "read %s/%s", image_path, DESCRIPTORS_FILE);
	json_t *a = json_loadb(buf, (size_t)n, 0, &jerr);
	if (!json_is_array(a)) {
		json_decref(a);
		return berr_set(err, "%s/%s: not a JSON array", image_path, DESCRIPTORS_FILE);
	}
	for (size_t i = 0; i < 3 && i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (s && !(out[i] = strdup(s))) {
			json_decref(a);
			return berr_sys(err, ENOMEM, DESCRIPTORS_FILE);
		}
	}
	json_decref(a);
	return 0;
}
