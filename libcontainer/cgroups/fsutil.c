/* fsutil.c - reading and writing cgroup control files, making and removing
 * cgroup directories.
 *
 * Every error names the full path of the file, so that a caller only has to
 * prefix the resource ("linux.resources.memory.limit: write <path>: ..").
 * Never removes anything but empty cgroup directories (rmdir). */
#include "cgroup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"
#include "libcontainer/readall.h"

/* The manager's cgroup2 directory, opened once and kept (the resource
 * writers, the device program and clone's CLONE_INTO_CGROUP all use it). */
int cg_v2_open_fd(struct cgroup_manager *m)
{
	if (m->v2_fd < 0 && m->v2_dir)
		m->v2_fd = open(m->v2_dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	return m->v2_fd;
}

char *cg_join(const char *a, const char *b)
{
	char *s;

	while (*b == '/')
		b++;
	if (asprintf(&s, "%s%s%s", a, (*a && a[strlen(a) - 1] == '/') || !*b ? "" : "/", b) < 0)
		return NULL;
	return s;
}

int cg_write(const char *dir, const char *file, const char *val, struct berth_error *err)
{
	_cleanup_free_ char *path = cg_join(dir, file);
	_cleanup_close_ int fd = -1;
	size_t len = strlen(val);
	ssize_t w;

	if (!path)
		return berr_sys(err, ENOMEM, "write %s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return berr_sys(err, errno, "write %s", path);
	w = write(fd, val, len);
	if (w < 0)
		return berr_sys(err, errno, "write %s", path);
	if ((size_t)w != len)
		return berr_set(err, "write %s: short write", path);
	return 0;
}

int cg_writef(const char *dir, const char *file, struct berth_error *err, const char *fmt, ...)
{
	_cleanup_free_ char *val = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&val, fmt, ap);
	va_end(ap);
	if (r < 0)
		return berr_sys(err, ENOMEM, "write %s/%s", dir, file);
	return cg_write(dir, file, val, err);
}

int cg_read(const char *dir, const char *file, char **out, struct berth_error *err)
{
	_cleanup_free_ char *path = cg_join(dir, file);
	_cleanup_close_ int fd = -1;
	char *buf;
	size_t len;

	if (!path)
		return berr_sys(err, ENOMEM, "read %s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read_all_fd(fd, 4096, 0, &buf, &len) < 0)
		return berr_sys(err, errno, "read %s", path);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *v, struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;
	char *end;

	if (cg_read(dir, file, &s, err) < 0)
		return -1;
	if (!strcmp(s, "max")) {
		*v = UINT64_MAX;
		return 0;
	}
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || end == s || (*end && *end != '\n'))
		return berr_set(err, "read %s/%s: not a number: \"%s\"", dir, file, s);
	return 0;
}

int cg_read_i64(const char *dir, const char *file, int64_t *v, struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;
	char *end;

	if (cg_read(dir, file, &s, err) < 0)
		return -1;
	if (!strcmp(s, "max")) {
		*v = -1;
		return 0;
	}
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || end == s || (*end && *end != '\n'))
		return berr_set(err, "read %s/%s: not a number: \"%s\"", dir, file, s);
	return 0;
}

int cg_read_keyed(const char *dir, const char *file, const char *key, uint64_t *v)
{
	_cleanup_free_ char *s = NULL;
	size_t klen = strlen(key);
	struct berth_error e;

	if (cg_read(dir, file, &s, &e) < 0)
		return -1;
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');

		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			*v = strtoull(line + klen + 1, NULL, 10);
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -1;
}

bool cg_exists(const char *dir, const char *file)
{
	_cleanup_free_ char *path = cg_join(dir, file);

	return path && access(path, F_OK) == 0;
}

static int push_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = strdup(s);
	if (!nv[*n])
		return -1;
	(*n)++;
	return 0;
}

int cg_mkdir_p(const char *mount, const char *rel, char ***created, size_t *n_created,
	       struct berth_error *err)
{
	_cleanup_free_ char *full = cg_join(mount, rel);
	size_t mlen = strlen(mount);

	if (!full)
		return berr_sys(err, ENOMEM, "mkdir %s%s", mount, rel);
	/* make each component below the mount point in turn, parents first */
	for (size_t i = mlen + 1;; i++) {
		char c = full[i];

		if (c != '/' && c != '\0')
			continue;
		full[i] = '\0';
		if (mkdir(full, 0755) == 0) {
			if (push_str(created, n_created, full) < 0) {
				full[i] = c;
				return berr_sys(err, ENOMEM, "mkdir %s", full);
			}
		} else if (errno != EEXIST) {
			int e = errno;

			berr_sys(err, e, "mkdir %s", full);
			full[i] = c;
			return -1;
		}
		full[i] = c;
		if (c == '\0')
			break;
	}
	return 0;
}

/* rmdir with a short retry: a cgroup whose last task just died can stay
 * busy for a moment while the kernel finishes the exit. */
static int rmdir_retry(const char *dir)
{
	for (int i = 0; i < 100; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -1;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return -1;
}

int cg_rmdir_tree(const char *dir, struct berth_error *err)
{
	/* Mostly there is no child cgroup: one rmdir, no directory scan. EBUSY
	 * means children (or dying tasks): scan, then retry as before. */
	if (rmdir(dir) == 0 || errno == ENOENT)
		return 0;
	if (errno != EBUSY)
		return berr_sys(err, errno, "rmdir %s", dir);

	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		return berr_sys(err, errno, "open %s", dir);
	}
	while ((de = readdir(d))) {
		_cleanup_free_ char *sub = NULL;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = cg_join(dir, de->d_name);
		if (!sub || cg_rmdir_tree(sub, err) < 0)
			ret = -1;
	}
	closedir(d);
	if (ret < 0)
		return -1;
	if (rmdir_retry(dir) < 0)
		return berr_sys(err, errno, "rmdir %s", dir);
	return 0;
}

void cg_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void cg_remove_created(char ***created, size_t *n_created)
{
	for (size_t i = *n_created; i > 0; i--) {
		struct berth_error e;

		if (cg_rmdir_tree((*created)[i - 1], &e) < 0)
			log_debug("cgroup cleanup: %s", e.msg);
	}
	cg_strv_free(*created, *n_created);
	*created = NULL;
	*n_created = 0;
}

static int read_procs_one(const char *dir, pid_t **pids, size_t *n, size_t *cap,
			  struct berth_error *err)
{
	_cleanup_free_ char *s = NULL;

	if (cg_read(dir, "cgroup.procs", &s, err) < 0)
		return -1;
	for (char *p = s; *p;) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 16;
			pid_t *np = realloc(*pids, nc * sizeof(pid_t));

			if (!np)
				return berr_sys(err, ENOMEM, "read %s/cgroup.procs", dir);
			*pids = np;
			*cap = nc;
		}
		(*pids)[(*n)++] = (pid_t)v;
		p = end;
		while (*p == '\n')
			p++;
	}
	return 0;
}

static int read_procs_rec(const char *dir, bool recursive, pid_t **pids, size_t *n, size_t *cap,
			  struct berth_error *err)
{
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (read_procs_one(dir, pids, n, cap, err) < 0)
		return -1;
	if (!recursive)
		return 0;
	d = opendir(dir);
	if (!d)
		return berr_sys(err, errno, "open %s", dir);
	while ((de = readdir(d))) {
		_cleanup_free_ char *sub = NULL;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = cg_join(dir, de->d_name);
		if (!sub || read_procs_rec(sub, true, pids, n, cap, err) < 0) {
			ret = -1;
			break;
		}
	}
	closedir(d);
	return ret;
}

int cg_read_procs(const char *dir, bool recursive, pid_t **pids, size_t *n, struct berth_error *err)
{
	size_t cap = 0;

	*pids = NULL;
	*n = 0;
	if (read_procs_rec(dir, recursive, pids, n, &cap, err) < 0) {
		free(*pids);
		*pids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int cg_signal_pids(const pid_t *pids, size_t n, int sig, struct berth_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (kill(pids[i], sig) < 0 && errno != ESRCH)
			return berr_sys(err, errno, "kill %d", (int)pids[i]);
	}
	return 0;
}

/* An existing cgroup may be reused only when nothing runs in it. */
int cg_check_unused(const char *dir, struct berth_error *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;

	if (cg_read_procs(dir, true, &pids, &n, err) < 0)
		return -1;
	if (n > 0)
		return berr_set(err, "cgroup %s already exists and has %zu process(es) in it", dir,
				n);
	return 0;
}
