/* newmount.c - mount(2)'s arguments turned into fsconfig calls: the data
 * string one option at a time, the superblock flags by their fsconfig
 * names, the per-mount flags as fsmount attributes. */
#include "newmount.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

/* The superblock flags of mount(2) that fsconfig takes by name; the other
 * flags fsopen can express are per-mount attributes (newmount_attrs). */
static const struct {
	unsigned long ms;
	const char *name;
} sb_flags[] = {
    {MS_RDONLY, "ro"},
    {MS_SYNCHRONOUS, "sync"},
    {MS_DIRSYNC, "dirsync"},
    {MS_LAZYTIME, "lazytime"},
};

#define MS_MOUNT_ATTRS                                                                             \
	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
	 MS_STRICTATIME | MS_NOSYMFOLLOW)

bool newmount_flags_fit(unsigned long flags)
{
	unsigned long known = MS_MOUNT_ATTRS;

	for (size_t i = 0; i < sizeof(sb_flags) / sizeof(sb_flags[0]); i++)
		known |= sb_flags[i].ms;
	return !(flags & ~known);
}

unsigned newmount_attrs(unsigned long flags)
{
	static const struct {
		unsigned long ms;
		unsigned attr;
	} map[] = {
	    {MS_RDONLY, MOUNT_ATTR_RDONLY},	    {MS_NOSUID, MOUNT_ATTR_NOSUID},
	    {MS_NODEV, MOUNT_ATTR_NODEV},	    {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
	    {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
	};
	unsigned a = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (flags & map[i].ms)
			a |= map[i].attr;
	if (flags & MS_STRICTATIME)
		a |= MOUNT_ATTR_STRICTATIME;
	else if (flags & MS_NOATIME)
		a |= MOUNT_ATTR_NOATIME;
	return a;
}

/* Fail with the kernel's own words for a refused fsconfig, which it logs
 * on the context fd ("e tmpfs: Bad value for 'size'"). */
static int fs_error(int fs, int errnum, const char *what, struct berth_error *err)
{
	char log[256];
	ssize_t n = read(fs, log, sizeof(log) - 1);

	if (n <= 2)
		return berr_sys(err, errnum, "%s", what);
	log[n] = '\0';
	log[strcspn(log, "\n")] = '\0';
	return berr_sys(err, errnum, "%s (%s)", what, log + 2);
}

static int fs_config_one(int fs, char *opt, struct berth_error *err)
{
	char what[300];
	char *eq = strchr(opt, '=');
	int r;

	snprintf(what, sizeof(what), "option %s", opt);
	if (!eq) {
		r = fsconfig(fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
	} else {
		char *v = eq + 1;
		size_t l = strlen(v);
		*eq = '\0';
		if (l >= 2 && v[0] == '"' && v[l - 1] == '"') {
			v[l - 1] = '\0';
			v++;
		}
		r = fsconfig(fs, FSCONFIG_SET_STRING, opt, v, 0);
	}
	return r < 0 ? fs_error(fs, errno, what, err) : 0;
}

/* "a=1,b,context=\"x:c1,c2\"" to fsconfig one option at a time. A comma
 * inside double quotes does not split, and the quotes around a value go:
 * mount(2) leaves them to the LSM's parser, fsconfig wants the bare value. */
static int fs_config_data(int fs, const char *data, struct berth_error *err)
{
	_cleanup_free_ char *copy = strdup(data);
	char *p = copy;

	if (!copy)
		return berr_sys(err, ENOMEM, "mount data");
	while (*p) {
		char *opt = p;
		bool quoted = false;
		for (; *p && (quoted || *p != ','); p++)
			if (*p == '"')
				quoted = !quoted;
		if (*p)
			*p++ = '\0';
		if (*opt && fs_config_one(fs, opt, err) < 0)
			return -1;
	}
	return 0;
}

int newmount_create(const char *type, const char *source, const char *data, const char *label,
		    unsigned long sb, unsigned attrs, struct berth_error *err)
{
	_cleanup_close_ int fs = fsopen(type, FSOPEN_CLOEXEC);
	int mnt;

	if (fs < 0 && (errno == ENOSYS || errno == EPERM))
		return NEWMOUNT_NO_FSOPEN;
	if (fs < 0)
		return berr_sys(err, errno, "fsopen %s", type);
	if (source && fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return fs_error(fs, errno, "source", err);
	if (data && fs_config_data(fs, data, err) < 0)
		return -1;
	if (label && fsconfig(fs, FSCONFIG_SET_STRING, "context", label, 0) < 0)
		return fs_error(fs, errno, "context (mountLabel)", err);
	for (size_t i = 0; i < sizeof(sb_flags) / sizeof(sb_flags[0]); i++)
		if ((sb & sb_flags[i].ms) &&
		    fsconfig(fs, FSCONFIG_SET_FLAG, sb_flags[i].name, NULL, 0) < 0)
			return fs_error(fs, errno, sb_flags[i].name, err);
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fs_error(fs, errno, "create", err);
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	if (mnt < 0)
		return berr_sys(err, errno, "fsmount");
	return mnt;
}
