/* test_newmount.c - mount(2) arguments as fsopen/fsconfig/fsmount: which
 * flags fit, the attribute mapping, and (as root) real detached tmpfs
 * mounts, which vanish when their fd is closed. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "libcontainer/rootfs/newmount.h"
#include "unit_run.h"

START_TEST(test_flags_fit)
{
	ck_assert(newmount_flags_fit(0));
	ck_assert(newmount_flags_fit(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_LAZYTIME |
				     MS_SYNCHRONOUS | MS_DIRSYNC | MS_STRICTATIME |
				     MS_NOSYMFOLLOW));
	ck_assert(!newmount_flags_fit(MS_SILENT));
	ck_assert(!newmount_flags_fit(MS_MANDLOCK | MS_NOSUID));
	ck_assert(!newmount_flags_fit(MS_I_VERSION));
}
END_TEST

START_TEST(test_attrs)
{
	ck_assert_uint_eq(newmount_attrs(0), MOUNT_ATTR_RELATIME);
	ck_assert_uint_eq(newmount_attrs(MS_RDONLY | MS_NODEV | MS_LAZYTIME),
			  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV);
	/* mount(2): strictatime wins over noatime, noatime over relatime */
	ck_assert_uint_eq(newmount_attrs(MS_NOATIME | MS_STRICTATIME), MOUNT_ATTR_STRICTATIME);
	ck_assert_uint_eq(newmount_attrs(MS_NOATIME | MS_RELATIME), MOUNT_ATTR_NOATIME);
	ck_assert_uint_eq(newmount_attrs(MS_NOSYMFOLLOW | MS_NOEXEC | MS_NOSUID | MS_NODIRATIME),
			  MOUNT_ATTR_NOSYMFOLLOW | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSUID |
			      MOUNT_ATTR_NODIRATIME);
}
END_TEST

START_TEST(test_create_tmpfs)
{
	struct berth_error err;
	struct stat st;
	struct statvfs sv;

	if (geteuid() != 0)
		return; /* fsopen needs CAP_SYS_ADMIN */
	/* quotes around a value are removed, as mount(2)'s parser does */
	int fd = newmount_create("tmpfs", "unit", "size=1m,mode=\"710\"", NULL, MS_RDONLY,
				 newmount_attrs(MS_RDONLY | MS_NOEXEC), &err);
	ck_assert_msg(fd >= 0, "%s", err.msg);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0710);
	ck_assert_int_eq(fstatvfs(fd, &sv), 0);
	ck_assert(sv.f_flag & ST_RDONLY);
	ck_assert(sv.f_flag & ST_NOEXEC);
	ck_assert_uint_eq(sv.f_blocks * sv.f_frsize, 1024 * 1024);
	close(fd);
}
END_TEST

START_TEST(test_create_bad_option)
{
	struct berth_error err;

	if (geteuid() != 0)
		return;
	ck_assert_int_eq(newmount_create("tmpfs", NULL, "mode=755,size=bogus", NULL, 0, 0, &err),
			 -1);
	ck_assert_int_eq(err.errnum, EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "option size=bogus"));
	ck_assert_ptr_nonnull(strstr(err.msg, "size"));
	ck_assert_int_eq(newmount_create("no-such-fs", NULL, NULL, NULL, 0, 0, &err), -1);
	ck_assert_int_eq(err.errnum, ENODEV);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("newmount");
	TCase *tc = tcase_create("newmount");

	tcase_add_test(tc, test_flags_fit);
	tcase_add_test(tc, test_attrs);
	tcase_add_test(tc, test_create_tmpfs);
	tcase_add_test(tc, test_create_bad_option);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
