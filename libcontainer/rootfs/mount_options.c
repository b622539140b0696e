/* mount_options.c - the sorted option table and the folding of a mount's options. */
#include "mount_options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

/* Sorted by strcmp(); tests/unit/test_mount_options.c checks the order. */
static const struct mount_option table[] = {
    {"async", MOPT_CLEAR, MS_SYNCHRONOUS},
    {"atime", MOPT_CLEAR, MS_NOATIME},
    {"bind", MOPT_SET, MS_BIND},
    {"copy-symlink", MOPT_EXTENSION, MOPT_EXT_COPY_SYMLINK},
    {"defaults", MOPT_SET, 0},
    {"dest-nofollow", MOPT_EXTENSION, MOPT_EXT_DST_NOFOLLOW},
    {"dev", MOPT_CLEAR, MS_NODEV},
    {"diratime", MOPT_CLEAR, MS_NODIRATIME},
    {"dirsync", MOPT_SET, MS_DIRSYNC},
    {"exec", MOPT_CLEAR, MS_NOEXEC},
    {"idmap", MOPT_EXTENSION, MOPT_EXT_IDMAP},
    {"iversion", MOPT_SET, MS_I_VERSION},
    {"lazytime", MOPT_SET, MS_LAZYTIME},
    {"loud", MOPT_CLEAR, MS_SILENT},
    {"mand", MOPT_SET, MS_MANDLOCK},
    {"noatime", MOPT_SET, MS_NOATIME},
    {"nocopyup", MOPT_EXTENSION, MOPT_EXT_NOCOPYUP},
    {"nodev", MOPT_SET, MS_NODEV},
    {"nodiratime", MOPT_SET, MS_NODIRATIME},
    {"noexec", MOPT_SET, MS_NOEXEC},
    {"noiversion", MOPT_CLEAR, MS_I_VERSION},
    {"nolazytime", MOPT_CLEAR, MS_LAZYTIME},
    {"nomand", MOPT_CLEAR, MS_MANDLOCK},
    {"norelatime", MOPT_CLEAR, MS_RELATIME},
    {"nostrictatime", MOPT_CLEAR, MS_STRICTATIME},
    {"nosuid", MOPT_SET, MS_NOSUID},
    {"nosymfollow", MOPT_SET, MS_NOSYMFOLLOW},
    {"private", MOPT_PROPAGATION, MS_PRIVATE},
    {"ratime", MOPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"rbind", MOPT_SET, MS_BIND | MS_REC},
    {"rdev", MOPT_REC_CLEAR, MOUNT_ATTR_NODEV},
    {"rdiratime", MOPT_REC_CLEAR, MOUNT_ATTR_NODIRATIME},
    {"relatime", MOPT_SET, MS_RELATIME},
    {"remount", MOPT_SET, MS_REMOUNT},
    {"rexec", MOPT_REC_CLEAR, MOUNT_ATTR_NOEXEC},
    {"ridmap", MOPT_EXTENSION, MOPT_EXT_RIDMAP},
    {"rnoatime", MOPT_REC_ATIME, MOUNT_ATTR_NOATIME},
    {"rnodev", MOPT_REC_SET, MOUNT_ATTR_NODEV},
    {"rnodiratime", MOPT_REC_SET, MOUNT_ATTR_NODIRATIME},
    {"rnoexec", MOPT_REC_SET, MOUNT_ATTR_NOEXEC},
    {"rnorelatime", MOPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", MOPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"rnosuid", MOPT_REC_SET, MOUNT_ATTR_NOSUID},
    {"rnosymfollow", MOPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW},
    {"ro", MOPT_SET, MS_RDONLY},
    {"rprivate", MOPT_PROPAGATION, MS_PRIVATE | MS_REC},
    {"rrelatime", MOPT_REC_ATIME, MOUNT_ATTR_RELATIME},
    {"rro", MOPT_REC_SET, MOUNT_ATTR_RDONLY},
    {"rrw", MOPT_REC_CLEAR, MOUNT_ATTR_RDONLY},
    {"rshared", MOPT_PROPAGATION, MS_SHARED | MS_REC},
    {"rslave", MOPT_PROPAGATION, MS_SLAVE | MS_REC},
    {"rstrictatime", MOPT_REC_ATIME, MOUNT_ATTR_STRICTATIME},
    {"rsuid", MOPT_REC_CLEAR, MOUNT_ATTR_NOSUID},
    {"rsymfollow", MOPT_REC_CLEAR, MOUNT_ATTR_NOSYMFOLLOW},
    {"runbindable", MOPT_PROPAGATION, MS_UNBINDABLE | MS_REC},
    {"rw", MOPT_CLEAR, MS_RDONLY},
    {"shared", MOPT_PROPAGATION, MS_SHARED},
    {"silent", MOPT_SET, MS_SILENT},
    {"slave", MOPT_PROPAGATION, MS_SLAVE},
    {"src-nofollow", MOPT_EXTENSION, MOPT_EXT_SRC_NOFOLLOW},
    {"strictatime", MOPT_SET, MS_STRICTATIME},
    {"suid", MOPT_CLEAR, MS_NOSUID},
    {"symfollow", MOPT_CLEAR, MS_NOSYMFOLLOW},
    {"sync", MOPT_SET, MS_SYNCHRONOUS},
    {"tmpcopyup", MOPT_EXTENSION, MOPT_EXT_TMPCOPYUP},
    {"unbindable", MOPT_PROPAGATION, MS_UNBINDABLE},
};

#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

const struct mount_option *mount_options_table(size_t *n)
{
	*n = TABLE_LEN;
	return table;
}

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct mount_option *)elem)->name);
}

const struct mount_option *mount_option_lookup(const char *name)
{
	return bsearch(name, table, TABLE_LEN, sizeof(table[0]), cmp_name);
}

static int append_data(char **data, const char *opt)
{
	size_t old = *data ? strlen(*data) : 0, add = strlen(opt);
	char *n = realloc(*data, old + add + 2);

	if (!n)
		return -1;
	if (old)
		n[old++] = ',';
	memcpy(n + old, opt, add + 1);
	*data = n;
	return 0;
}

int mount_opts_parse(char *const *opts, size_t n, struct mount_opts *out, struct berth_error *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct mount_option *o = mount_option_lookup(opts[i]);

		if (!o) {
			if (opts[i][0] == '\0')
				continue;
			if (append_data(&out->data, opts[i]) < 0) {
				mount_opts_free(out);
				return berr_sys(err, ENOMEM, "mount option %s", opts[i]);
			}
			continue;
		}
		switch (o->kind) {
		case MOPT_SET:
			out->flags |= o->value;
			out->clear &= ~o->value;
			break;
		case MOPT_CLEAR:
			out->flags &= ~o->value;
			out->clear |= o->value;
			break;
		case MOPT_PROPAGATION:
			if (out->n_propagation == MOUNT_MAX_PROPAGATION) {
				mount_opts_free(out);
				return berr_set(err,
						"mount option %s: more than %d propagation options",
						opts[i], MOUNT_MAX_PROPAGATION);
			}
			out->propagation[out->n_propagation++] = o->value;
			break;
		case MOPT_REC_SET:
			out->attr_set |= o->value;
			out->attr_clr &= ~o->value;
			break;
		case MOPT_REC_CLEAR:
			out->attr_clr |= o->value;
			out->attr_set &= ~o->value;
			break;
		case MOPT_REC_ATIME:
			/* the kernel takes an atime mode only with the whole mask cleared */
			out->attr_set = (out->attr_set & ~(uint64_t)MOUNT_ATTR__ATIME) | o->value;
			out->attr_clr |= MOUNT_ATTR__ATIME;
			break;
		case MOPT_EXTENSION:
			if (o->value == MOPT_EXT_NOCOPYUP)
				out->extensions &= ~MOPT_EXT_TMPCOPYUP;
			else
				out->extensions |= (unsigned)o->value;
			break;
		}
	}
	return 0;
}

void mount_opts_free(struct mount_opts *o)
{
	free(o->data);
	o->data = NULL;
}
