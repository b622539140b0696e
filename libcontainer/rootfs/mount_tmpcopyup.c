/* mount_tmpcopyup.c - tmpcopyup: a new tmpfs starts with a copy of the
 * directory it covers (types, modes, owners), as crun does.
 *
 * Never creates anything outside the new tmpfs: names go through *at()
 * on its fd only. */
#include "mounts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "mounts_internal.h"

static int copy_data(int from, int to)
{
	for (;;) {
		ssize_t n = sendfile(to, from, NULL, 1 << 20);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
	}
}

/* Copy the directory tree `src` into `dst` (both directory fds), keeping
 * types, modes and owners. Names are created with *at() on dst only. */
static int copy_tree(int src, int dst, int depth)
{
	_cleanup_close_ int rd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (rd < 0 || depth > 64)
		return -1;
	d = fdopendir(rd);
	if (!d)
		return -1;
	rd = -1;
	while (rc == 0 && (de = readdir(d))) {
		const char *n = de->d_name;
		struct stat st;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -1;
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			if (mkdirat(dst, n, st.st_mode & 07777) < 0 && errno != EEXIST) {
				rc = -1;
				break;
			}
			_cleanup_close_ int s =
			    openat(dirfd(d), n, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			_cleanup_close_ int t =
			    openat(dst, n, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s < 0 || t < 0 || copy_tree(s, t, depth + 1) < 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode)) {
			_cleanup_close_ int s =
			    openat(dirfd(d), n, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			_cleanup_close_ int t =
			    openat(dst, n, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				   st.st_mode & 07777);
			if (s < 0 || t < 0 || copy_data(s, t) < 0)
				rc = -1;
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t l = readlinkat(dirfd(d), n, target, sizeof(target) - 1);
			if (l < 0) {
				rc = -1;
				break;
			}
			target[l] = '\0';
			if (symlinkat(target, dst, n) < 0)
				rc = -1;
		} else if (mknodat(dst, n, st.st_mode, st.st_rdev) < 0) {
			rc = -1;
		}
		if (rc == 0 && fchownat(dst, n, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 &&
		    errno != EINVAL && errno != EPERM)
			rc = -1;
		if (rc == 0 && !S_ISLNK(st.st_mode) && fchmodat(dst, n, st.st_mode & 07777, 0) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

/* An explicit mode= option is what the engine asked for (podman's
 * --tmpfs /x:mode=1770): it wins over the covered directory's mode. */
static bool has_mode_option(const char *data)
{
	for (const char *p = data; p && *p;) {
		if (strncmp(p, "mode=", 5) == 0)
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

int mounts_tmpcopyup(int lowerfd, int mntfd, const char *data, struct berth_error *err)
{
	struct stat st;

	if (copy_tree(lowerfd, mntfd, 0) < 0)
		return berr_sys(err, errno, "tmpcopyup");
	/* the tmpfs root takes the mode and owner of the directory it covers */
	if (!has_mode_option(data) && fstat(lowerfd, &st) == 0) {
		_cleanup_close_ int rd = openat(mntfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rd < 0 || fchmod(rd, st.st_mode & 07777) < 0 ||
		    (fchown(rd, st.st_uid, st.st_gid) < 0 && errno != EPERM && errno != EINVAL))
			return berr_sys(err, errno, "tmpcopyup: set the root's mode");
	}
	return 0;
}
