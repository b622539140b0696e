/* test_mountinfo.c - the mount table parser: fields, optional tags, escapes,
 * malformed lines, and the live table agreeing with statx mount ids. */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/rootfs/mountinfo.h"
#include "unit_run.h"

static const char sample[] =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
    "30 22 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
    "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw,nsdelegate\n"
    "35 30 0:31 / /sys/fs/cgroup/cpu,cpuacct rw shared:14 master:3 - cgroup cgroup "
    "rw,cpu,cpuacct\n"
    "garbage line without the separator\n"
    "40 22 0:40 /sub\\040dir /mnt/with\\040space\\134x rw - tmpfs my\\040src rw\n"
    "41 22 0:41 / /no-tags rw - proc proc rw\n";

START_TEST(test_parse_fields)
{
	struct mountinfo mi;
	struct berth_error err;

	ck_assert_int_eq(mountinfo_parse(strdup(sample), &mi, &err), 0);
	ck_assert_uint_eq(mi.n, 6);
	ck_assert_int_eq(mi.entries[0].id, 22);
	ck_assert_int_eq(mi.entries[0].parent, 1);
	ck_assert_str_eq(mi.entries[0].mountpoint, "/");
	ck_assert_str_eq(mi.entries[0].fstype, "ext4");
	ck_assert_str_eq(mi.entries[0].source, "/dev/sda1");
	ck_assert_str_eq(mi.entries[0].super_opts, "rw,errors=remount-ro");
	/* two optional tags before "-" */
	ck_assert_str_eq(mi.entries[3].mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
	ck_assert_str_eq(mi.entries[3].fstype, "cgroup");
	ck_assert_str_eq(mi.entries[3].super_opts, "rw,cpu,cpuacct");
	ck_assert_str_eq(mi.entries[3].mount_opts, "rw");
	/* octal escapes decoded; no tags at all */
	ck_assert_str_eq(mi.entries[4].root, "/sub dir");
	ck_assert_str_eq(mi.entries[4].mountpoint, "/mnt/with space\\x");
	ck_assert_str_eq(mi.entries[4].source, "my src");
	ck_assert_str_eq(mi.entries[5].fstype, "proc");
	/* the shared tag, also after another one; none without tags */
	ck_assert(mi.entries[0].shared);
	ck_assert(mi.entries[3].shared);
	ck_assert(!mi.entries[4].shared);
	ck_assert_ptr_eq(mountinfo_find_id(&mi, 31), &mi.entries[2]);
	ck_assert_ptr_null(mountinfo_find_id(&mi, 99));
	mountinfo_free(&mi);
}
END_TEST

START_TEST(test_parse_empty)
{
	struct mountinfo mi;
	struct berth_error err;

	ck_assert_int_eq(mountinfo_parse(strdup(""), &mi, &err), 0);
	ck_assert_uint_eq(mi.n, 0);
	mountinfo_free(&mi);
}
END_TEST

/* The live table holds the mount of "/" under the id statx reports. */
START_TEST(test_read_matches_statx)
{
	struct mountinfo mi;
	struct berth_error err;
	struct statx sx;
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx), 0);
	close(fd);
	ck_assert_int_eq(mountinfo_read(&mi, &err), 0);
	ck_assert_uint_gt(mi.n, 0);
	const struct mountinfo_entry *e = mountinfo_find_id(&mi, (int)sx.stx_mnt_id);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->mountpoint, "/");
	mountinfo_free(&mi);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mountinfo");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_parse_fields);
	tcase_add_test(tc, test_parse_empty);
	tcase_add_test(tc, test_read_matches_statx);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
