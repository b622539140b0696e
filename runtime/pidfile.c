/* pidfile.c - --pid-file: written atomically (temp file + rename), so an
 * engine polling for it never reads a partial number. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "lifecycle.h"
#include "libcontainer/cleanup.h"

int pidfile_write(const char *path, pid_t pid, struct berth_error *err)
{
	char tmp[PATH_MAX + 8], buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return berr_set(err, "pid file path too long: %s", path);
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, buf, (size_t)n) != n || rename(tmp, path) < 0)
		return berr_sys(err, errno, "write pid file %s", path);
	return 0;
}
