/* test_mount_options.c - the mount option table: sorted, complete, right bits. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "libcontainer/rootfs/mount_options.h"
#include "unit_run.h"

START_TEST(test_table_sorted)
{
	size_t n;
	const struct mount_option *t = mount_options_table(&n);

	ck_assert_uint_gt(n, 60);
	for (size_t i = 1; i < n; i++)
		ck_assert_msg(strcmp(t[i - 1].name, t[i].name) < 0, "%s before %s", t[i - 1].name,
			      t[i].name);
}
END_TEST

START_TEST(test_every_entry_found)
{
	size_t n;
	const struct mount_option *t = mount_options_table(&n);

	for (size_t i = 0; i < n; i++)
		ck_assert_ptr_eq(mount_option_lookup(t[i].name), &t[i]);
	ck_assert_ptr_null(mount_option_lookup("size=64m"));
	ck_assert_ptr_null(mount_option_lookup(""));
	ck_assert_ptr_null(mount_option_lookup("zzz"));
	ck_assert_ptr_null(mount_option_lookup("RO"));
}
END_TEST

/* Every option runc documents must be there. */
START_TEST(test_runc_options_present)
{
	static const char *const names[] = {
	    "async",	     "atime",	     "bind",
	    "defaults",	     "dev",	     "diratime",
	    "dirsync",	     "exec",	     "idmap",
	    "iversion",	     "lazytime",     "loud",
	    "mand",	     "noatime",	     "nodev",
	    "nodiratime",    "noexec",	     "noiversion",
	    "nolazytime",    "nomand",	     "norelatime",
	    "nostrictatime", "nosuid",	     "nosymfollow",
	    "private",	     "ratime",	     "rbind",
	    "rdev",	     "rdiratime",    "relatime",
	    "remount",	     "rexec",	     "ridmap",
	    "rnoatime",	     "rnodev",	     "rnodiratime",
	    "rnoexec",	     "rnorelatime",  "rnostrictatime",
	    "rnosuid",	     "rnosymfollow", "ro",
	    "rprivate",	     "rrelatime",    "rro",
	    "rrw",	     "rshared",	     "rslave",
	    "rstrictatime",  "rsuid",	     "rsymfollow",
	    "runbindable",   "rw",	     "shared",
	    "silent",	     "slave",	     "strictatime",
	    "suid",	     "symfollow",    "sync",
	    "tmpcopyup",     "unbindable",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(mount_option_lookup(names[i]) != NULL, "%s missing", names[i]);
}
END_TEST

struct expect {
	const char *name;
	enum mount_option_kind kind;
	uint64_t value;
};

START_TEST(test_flags_right)
{
	static const struct expect e[] = {
	    {"ro", MOPT_SET, MS_RDONLY},
	    {"rw", MOPT_CLEAR, MS_RDONLY},
	    {"nosuid", MOPT_SET, MS_NOSUID},
	    {"suid", MOPT_CLEAR, MS_NOSUID},
	    {"nodev", MOPT_SET, MS_NODEV},
	    {"dev", MOPT_CLEAR, MS_NODEV},
	    {"noexec", MOPT_SET, MS_NOEXEC},
	    {"exec", MOPT_CLEAR, MS_NOEXEC},
	    {"sync", MOPT_SET, MS_SYNCHRONOUS},
	    {"async", MOPT_CLEAR, MS_SYNCHRONOUS},
	    {"bind", MOPT_SET, MS_BIND},
	    {"rbind", MOPT_SET, MS_BIND | MS_REC},
	    {"nosymfollow", MOPT_SET, MS_NOSYMFOLLOW},
	    {"lazytime", MOPT_SET, MS_LAZYTIME},
	    {"strictatime", MOPT_SET, MS_STRICTATIME},
	    {"relatime", MOPT_SET, MS_RELATIME},
	    {"noatime", MOPT_SET, MS_NOATIME},
	    {"private", MOPT_PROPAGATION, MS_PRIVATE},
	    {"rprivate", MOPT_PROPAGATION, MS_PRIVATE | MS_REC},
	    {"shared", MOPT_PROPAGATION, MS_SHARED},
	    {"rshared", MOPT_PROPAGATION, MS_SHARED | MS_REC},
	    {"slave", MOPT_PROPAGATION, MS_SLAVE},
	    {"rslave", MOPT_PROPAGATION, MS_SLAVE | MS_REC},
	    {"unbindable", MOPT_PROPAGATION, MS_UNBINDABLE},
	    {"runbindable", MOPT_PROPAGATION, MS_UNBINDABLE | MS_REC},
	    {"rro", MOPT_REC_SET, MOUNT_ATTR_RDONLY},
	    {"rrw", MOPT_REC_CLEAR, MOUNT_ATTR_RDONLY},
	    {"rnosuid", MOPT_REC_SET, MOUNT_ATTR_NOSUID},
	    {"rsuid", MOPT_REC_CLEAR, MOUNT_ATTR_NOSUID},
	    {"rnodev", MOPT_REC_SET, MOUNT_ATTR_NODEV},
	    {"rdev", MOPT_REC_CLEAR, MOUNT_ATTR_NODEV},
	    {"rnoexec", MOPT_REC_SET, MOUNT_ATTR_NOEXEC},
	    {"rexec", MOPT_REC_CLEAR, MOUNT_ATTR_NOEXEC},
	    {"rnosymfollow", MOPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW},
	    {"rnoatime", MOPT_REC_ATIME, MOUNT_ATTR_NOATIME},
	    {"rstrictatime", MOPT_REC_ATIME, MOUNT_ATTR_STRICTATIME},
	    {"tmpcopyup", MOPT_EXTENSION, MOPT_EXT_TMPCOPYUP},
	    {"idmap", MOPT_EXTENSION, MOPT_EXT_IDMAP},
	    {"ridmap", MOPT_EXTENSION, MOPT_EXT_RIDMAP},
	};
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		const struct mount_option *o = mount_option_lookup(e[i].name);
		ck_assert_msg(o != NULL, "%s missing", e[i].name);
		ck_assert_msg(o->kind == e[i].kind, "%s kind", e[i].name);
		ck_assert_msg(o->value == e[i].value, "%s value", e[i].name);
	}
}
END_TEST

START_TEST(test_parse_fold)
{
	char *opts[] = {"nosuid",   "ro",	"size=64m",  "rw",	 "rslave", "rnoexec",
			"mode=755", "rnoatime", "tmpcopyup", "nocopyup", "rbind",  "private"};
	struct mount_opts o;
	struct berth_error err;

	ck_assert_int_eq(mount_opts_parse(opts, sizeof(opts) / sizeof(opts[0]), &o, &err), 0);
	ck_assert_uint_eq(o.flags, MS_NOSUID | MS_BIND | MS_REC);
	ck_assert(o.clear & MS_RDONLY);
	ck_assert_str_eq(o.data, "size=64m,mode=755");
	ck_assert_uint_eq(o.n_propagation, 2);
	ck_assert_uint_eq(o.propagation[0], MS_SLAVE | MS_REC);
	ck_assert_uint_eq(o.propagation[1], MS_PRIVATE);
	ck_assert_uint_eq(o.attr_set, MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOATIME);
	ck_assert_uint_eq(o.attr_clr, MOUNT_ATTR__ATIME);
	ck_assert_uint_eq(o.extensions, 0);
	mount_opts_free(&o);
}
END_TEST

START_TEST(test_parse_empty)
{
	struct mount_opts o;
	struct berth_error err;

	ck_assert_int_eq(mount_opts_parse(NULL, 0, &o, &err), 0);
	ck_assert_uint_eq(o.flags, 0);
	ck_assert_ptr_null(o.data);
	mount_opts_free(&o);
}
END_TEST

START_TEST(test_parse_too_many_propagation)
{
	char *opts[] = {"private", "shared", "slave", "rprivate", "rshared"};
	struct mount_opts o;
	struct berth_error err;

	ck_assert_int_eq(mount_opts_parse(opts, 5, &o, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "propagation"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mount_options");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_table_sorted);
	tcase_add_test(tc, test_every_entry_found);
	tcase_add_test(tc, test_runc_options_present);
	tcase_add_test(tc, test_flags_right);
	tcase_add_test(tc, test_parse_fold);
	tcase_add_test(tc, test_parse_empty);
	tcase_add_test(tc, test_parse_too_many_propagation);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
