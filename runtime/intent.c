/* intent.c - the write-ahead record of what `create` makes (see intent.h). */
#include "intent.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

/* One line, one write(): either it is all there or it does not parse. */
static int append_line(int dir_fd, json_t *o, struct berth_error *err)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	int rc = 0;

	json_decref(o);
	if (!text)
		return berr_set(err, "encode %s", INTENT_FILE);
	size_t len = strlen(text);
	text[len] = '\n'; /* json_dumps leaves room: the NUL */
	int fd = openat(dir_fd, INTENT_FILE, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			0600);
	if (fd < 0)
		rc = berr_sys(err, errno, "open %s", INTENT_FILE);
	else if (write(fd, text, len + 1) != (ssize_t)(len + 1))
		rc = berr_sys(err, errno ? errno : EIO, "write %s", INTENT_FILE);
	if (fd >= 0 && close(fd) < 0 && rc == 0)
		rc = berr_sys(err, errno, "write %s", INTENT_FILE);
	free(text);
	return rc;
}

int intent_record_cgroup(int dir_fd, const char *rootfs, enum cgroup_driver driver,
			 const char *path, struct berth_error *err)
{
	return append_line(dir_fd,
			   json_pack("{s:s, s:s?, s:s}", "rootfs", rootfs, "cgroupDriver",
				     cgroup_driver_name(driver), "cgroupPath", path),
			   err);
}

static void take_string(char **dst, json_t *v)
{
	char *s = json_is_string(v) ? strdup(json_string_value(v)) : NULL;

	if (s) {
		free(*dst);
		*dst = s;
	}
}

int intent_record_init(int dir_fd, pid_t pid, uint64_t start_time, struct berth_error *err)
{
	return append_line(
	    dir_fd, json_pack("{s:i, s:I}", "pid", (int)pid, "startTime", (json_int_t)start_time),
	    err);
}

static void take_line(struct intent *in, const char *line, size_t len)
{
	json_t *o = json_loadb(line, len, 0, NULL);
	json_t *driver = json_object_get(o, "cgroupDriver");
	json_t *path = json_object_get(o, "cgroupPath");
	json_t *pid = json_object_get(o, "pid");
	json_t *start = json_object_get(o, "startTime");
	enum cgroup_driver d;

	take_string(&in->rootfs, json_object_get(o, "rootfs"));
	/* a name no driver has is skipped, as a line that does not parse is */
	if (cgroup_driver_from_name(json_string_value(driver), &d) == 0 &&
	    d != CGROUP_DRIVER_DISABLED && json_is_string(path) && *json_string_value(path)) {
		in->cgroup_driver = d;
		take_string(&in->cgroup_path, path);
	}
	if (json_is_integer(pid) && json_is_integer(start) && json_integer_value(pid) > 0) {
		in->pid = (pid_t)json_integer_value(pid);
		in->start_time = (uint64_t)json_integer_value(start);
	}
	json_decref(o);
}

int intent_read(int dir_fd, struct intent *out, struct berth_error *err)
{
	_cleanup_close_ int fd = openat(dir_fd, INTENT_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char buf[16384];
	size_t len = 0;
	ssize_t n;

	memset(out, 0, sizeof(*out));
	if (fd < 0)
		return errno == ENOENT ? 0 : berr_sys(err, errno, "open %s", INTENT_FILE);
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return berr_sys(err, errno, "read %s", INTENT_FILE);
		len += (size_t)n;
	}
	/* Only complete lines: the last one may have been cut by a kill. */
	for (size_t start = 0, i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		take_line(out, buf + start, i - start);
		start = i + 1;
	}
	return 0;
}

void intent_clear(struct intent *in)
{
	free(in->rootfs);
	free(in->cgroup_path);
	memset(in, 0, sizeof(*in));
}
