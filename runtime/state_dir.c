/* state_dir.c - the per-container directory under the state root. */
#include "state_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crash_point.h"
#include "host_rootfs.h"
#include "intent.h"
#include "libcontainer/cleanup.h"

static int mkdir_p(const char *path, mode_t mode, struct berth_error *err)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return berr_set(err, "state root too long: %s", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return berr_sys(err, errno, "mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return berr_sys(err, errno, "mkdir %s", buf);
	return 0;
}

int state_dir_create(const char *root, const char *id, struct berth_error *err)
{
	if (mkdir_p(root, 0711, err) < 0)
		return -1;
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (rootfd < 0 || fstat(rootfd, &st) < 0)
		return berr_sys(err, errno, "open state root %s", root);
	/* Someone else's (or a world-writable) root could be swapped under us. */
	if (st.st_uid != geteuid() || (st.st_mode & 022))
		return berr_set(err,
				"state root %s: must be owned by uid %u and not writable by "
				"others",
				root, (unsigned)geteuid());
	for (int tries = 0; tries < 10; tries++) {
		if (mkdirat(rootfd, id, 0711) < 0) {
			if (errno == EEXIST)
				return berr_set(err, "container with id exists: %s", id);
			return berr_sys(err, errno, "create state dir %s/%s", root, id);
		}
		int fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 && errno == ENOENT)
			continue; /* removed at once by a delete -f: see below */
		if (fd < 0 || flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			unlinkat(rootfd, id, AT_REMOVEDIR);
			return berr_sys(err, e, "open state dir %s/%s", root, id);
		}
		if (st.st_nlink > 0)
			return fd;
		/* A delete -f took the lock first, found the dir empty and
		 * removed it: it went before us, make the dir again. */
		close(fd);
	}
	return berr_set(err, "create state dir %s/%s: removed again and again", root, id);
}

int state_dir_make_fifo(int dir_fd, struct berth_error *err)
{
	if (mkfifoat(dir_fd, STATE_FIFO, 0600) < 0)
		return berr_sys(err, errno, "mkfifo %s", STATE_FIFO);
	int fd = openat(dir_fd, STATE_FIFO, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return berr_sys(err, errno, "open %s", STATE_FIFO);
	return fd;
}

void state_dir_remove(const char *root, const char *id)
{
	/* the intent record last: until the dir is gone it still names what to remove */
	static const char *const files[] = {STATE_FIFO, "state.json", "state.json.tmp",
					    STATE_HOST_ROOTFS, INTENT_FILE};
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int dirfd = -1;

	if (rootfd < 0)
		return;
	dirfd = openat(rootfd, id, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dirfd >= 0) {
		/* A restore killed before it detached its rootfs bind. */
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s/%s", root, id, STATE_CRIU_ROOT);
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
		unlinkat(dirfd, STATE_CRIU_ROOT, AT_REMOVEDIR);
	}
	if (dirfd >= 0)
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			unlinkat(dirfd, files[i], 0);
			crash_point("delete.state-file-removed");
		}
	unlinkat(rootfd, id, AT_REMOVEDIR);
}
