/* test_lsm.c - AppArmor/SELinux requests on this host: refused with a
 * clear error when the LSM is off, no-ops when empty; the exec label really
 * written when the LSM is on. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/process/lsm.h"
#include "unit_run.h"

START_TEST(empty_is_nothing)
{
	struct berth_process p = {0};
	struct berth_error err = {0};
	ck_assert_int_eq(lsm_check(&p, &err), 0);
	ck_assert_int_eq(lsm_apply_exec(&p, -1, &err), 0);
	p.apparmor_profile = "";
	p.selinux_label = "";
	ck_assert_int_eq(lsm_check(&p, &err), 0);
	ck_assert_int_eq(lsm_apply_exec(&p, -1, &err), 0);
}
END_TEST

START_TEST(apparmor_requested)
{
	struct berth_process p = {.apparmor_profile = "berth-test-profile"};
	struct berth_error err = {0};
	if (lsm_apparmor_enabled()) {
		ck_assert_int_eq(lsm_check(&p, &err), 0);
		return;
	}
	ck_assert_int_eq(lsm_check(&p, &err), -1);
	ck_assert_msg(strstr(err.msg, "process.apparmorProfile") &&
			  strstr(err.msg, "berth-test-profile") &&
			  strstr(err.msg, "AppArmor is not enabled"),
		      "%s", err.msg);
}
END_TEST

START_TEST(selinux_requested)
{
	struct berth_process p = {.selinux_label = "system_u:system_r:container_t:s0"};
	struct berth_error err = {0};
	if (lsm_selinux_enabled()) {
		ck_assert_int_eq(lsm_check(&p, &err), 0);
		return;
	}
	ck_assert_int_eq(lsm_check(&p, &err), -1);
	ck_assert_msg(strstr(err.msg, "process.selinuxLabel") &&
			  strstr(err.msg, "SELinux is not enabled"),
		      "%s", err.msg);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lsm");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, empty_is_nothing);
	tcase_add_test(tc, apparmor_requested);
	tcase_add_test(tc, selinux_requested);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
