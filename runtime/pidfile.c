/* pidfile.c - --pid-file: written atomically (temp file + rename), so an
 * engine polling for it never reads a partial number; its directory is
 * opened up front, since the writer may have joined the container's mount
 * namespace by then. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lifecycle.h"
#include "libcontainer/cleanup.h"

int pidfile_absolute(const char *path, char out[PATH_MAX], struct berth_error *err)
{
	char cwd[PATH_MAX];

	out[0] = '\0';
	if (!path)
		return 0;
	if (path[0] == '/') {
		snprintf(out, PATH_MAX, "%s", path);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return berr_sys(err, errno, "getcwd");
	int w = snprintf(out, PATH_MAX, "%s/%s", cwd, path);
	if (w < 0 || w >= PATH_MAX) {
		berr_set(err, "path too long");
		return berr_reason(err, RUNTIME_ERR_PID_FILE_PATH);
	}
	return 0;
}

int pidfile_prepare(const char *path, struct pidfile *pf, struct berth_error *err)
{
	const char *slash;
	char dir[PATH_MAX];

	pf->dir_fd = -1;
	if (!path)
		return 0;
	slash = strrchr(path, '/');
	if (slash) {
		size_t len = (size_t)(slash - path);
		if (len >= sizeof(dir))
			return berr_set(err, "pid file path too long: %s", path);
		memcpy(dir, path, len);
		dir[len] = '\0';
		if (len == 0)
			strcpy(dir, "/");
	} else {
		strcpy(dir, ".");
	}
	if (snprintf(pf->name, sizeof(pf->name), "%s", slash ? slash + 1 : path) >=
	    (int)sizeof(pf->name))
		return berr_set(err, "pid file name too long: %s", path);
	pf->dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pf->dir_fd < 0)
		return berr_sys(err, errno, "pid file directory %s", dir);
	return 0;
}

int pidfile_commit(struct pidfile *pf, pid_t pid, struct berth_error *err)
{
	char tmp[NAME_MAX + 8], buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	if (pf->dir_fd < 0)
		return 0;
	snprintf(tmp, sizeof(tmp), ".%s.tmp", pf->name);
	_cleanup_close_ int fd =
	    openat(pf->dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || write(fd, buf, (size_t)n) != n ||
	    renameat(pf->dir_fd, tmp, pf->dir_fd, pf->name) < 0)
		return berr_sys(err, errno, "write pid file %s", pf->name);
	return 0;
}

void pidfile_close(struct pidfile *pf)
{
	if (pf->dir_fd >= 0)
		close(pf->dir_fd);
	pf->dir_fd = -1;
}
