/* mountpoints.c - before a restore, the mount points of the bundle's bind
 * mounts in the rootfs: CRIU mounts onto them but makes none, and a
 * rootfs made fresh for the restore (podman's --import) has none of
 * those a runtime made at create (/etc/hosts, /run/.containerenv, ...).
 * Binds inside a tmpfs of the spec are left alone: CRIU restores the
 * tmpfs with its contents first. Paths resolve inside the rootfs (safepath). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "criu.h"
#include "libcontainer/cleanup.h"
#include "libcontainer/config/config.h"
#include "libcontainer/log.h"
#include "libcontainer/rootfs/rootfs.h"

static bool is_bind(const struct berth_mount *m)
{
	if (m->type && strcmp(m->type, "bind") == 0)
		return true;
	for (size_t i = 0; i < m->n_options; i++)
		if (strcmp(m->options[i], "bind") == 0 || strcmp(m->options[i], "rbind") == 0)
			return true;
	return false;
}

/* Whether `dest` lies below the destination of a tmpfs mount of the spec. */
static bool under_tmpfs(const struct berth_spec *s, const char *dest)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct berth_mount *m = &s->mounts[i];
		size_t n = m->destination ? strlen(m->destination) : 0;
		if (!m->type || strcmp(m->type, "tmpfs") != 0 || !n)
			continue;
		if (strncmp(dest, m->destination, n) == 0 && dest[n] == '/')
			return true;
	}
	return false;
}

int criu_prepare_mountpoints(const struct berth_spec *s, const char *bundle, const char *rootfs,
			     struct berth_error *err)
{
	_cleanup_close_ int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char src[PATH_MAX * 2];
	struct stat st;

	if (rootfd < 0)
		return berr_sys(err, errno, "open rootfs %s", rootfs);
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct berth_mount *m = &s->mounts[i];
		if (!is_bind(m) || !m->source || !m->destination || under_tmpfs(s, m->destination))
			continue;
		if (m->source[0] == '/')
			snprintf(src, sizeof(src), "%s", m->source);
		else
			snprintf(src, sizeof(src), "%s/%s", bundle, m->source);
		bool file = stat(src, &st) == 0 && !S_ISDIR(st.st_mode);
		struct berth_error e = {0};
		int fd = safepath_mkdir_p(rootfd, m->destination, 0755, file, &e);
		/* A read-only rootfs has them already, or CRIU says which is missing. */
		if (fd < 0)
			log_debug("restore: mount point %s: %s", m->destination, e.msg);
		else
			close(fd);
	}
	return 0;
}

int criu_root_bind(const char *rootfs, const char *root_path, struct berth_error *err)
{
	if (mount(rootfs, root_path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return berr_sys(err, errno, "bind mount %s on %s", rootfs, root_path);
	/* Not made private: CRIU copies the root's sharing (peer group or
	 * master) from this mount to the restored root, as the dump saw it. */
	return 0;
}

void criu_root_unbind(const char *root_path)
{
	if (umount2(root_path, MNT_DETACH) < 0)
		log_warn("unmount %s: %s", root_path, strerror(errno));
}
