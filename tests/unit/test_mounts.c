/* test_mounts.c - which read-only mounts wait for the ones below them
 * (mounts_ro_waits) and the destination comparison it relies on. */
#include <check.h>
#include <stdlib.h>

#include "libcontainer/rootfs/mounts.h"
#include "unit_run.h"

#define M(dest)                                                                                    \
	{                                                                                          \
		.destination = (char *)(dest)                                                      \
	}

START_TEST(test_ro_waits)
{
	struct berth_mount ms[] = {
	    M("/proc"),	 M("/dev/"),	    M("/dev/pts"), M("/data"),
	    M("/data2"), M("//data//sub/"), M("//last//"), M("/last"),
	};
	size_t n = sizeof(ms) / sizeof(ms[0]);

	ck_assert(!mounts_ro_waits(ms, n, 0)); /* nothing below /proc follows */
	ck_assert(mounts_ro_waits(ms, n, 1));  /* /dev always: devices go in it */
	ck_assert(!mounts_ro_waits(ms, n, 2));
	ck_assert(mounts_ro_waits(ms, n, 3));  /* //data//sub/ is below /data */
	ck_assert(!mounts_ro_waits(ms, n, 4)); /* /data2 is not /data's child */
	ck_assert(!mounts_ro_waits(ms, n, 6)); /* the same path stacked is not below it */
	ck_assert(!mounts_ro_waits(ms, n, 7));
}
END_TEST

START_TEST(test_ro_waits_only_later_entries)
{
	/* only entries listed after it count */
	struct berth_mount ms[] = {M("/a/b"), M("//a/"), M("/a/c")};

	ck_assert(!mounts_ro_waits(ms, 3, 0));
	ck_assert(mounts_ro_waits(ms, 3, 1)); /* "//a/" is /a, and /a/c follows */
	ck_assert(!mounts_ro_waits(ms, 3, 2));
}
END_TEST

START_TEST(test_path_equal)
{
	ck_assert(mounts_path_equal("/dev/", "/dev"));
	ck_assert(mounts_path_equal("//dev", "/dev"));
	ck_assert(!mounts_path_equal("/dev2", "/dev"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mounts");
	TCase *tc = tcase_create("order");

	tcase_add_test(tc, test_ro_waits);
	tcase_add_test(tc, test_ro_waits_only_later_entries);
	tcase_add_test(tc, test_path_equal);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
