/* test_exec_args.c - exec's --user, --additional-gids and --cap as cmd/
 * turns them into typed values (cmd/exec_args.c): the accepted forms, the
 * exact messages the integration tests and engines see, and the mark that
 * keeps a sealed re-execution from repeating the --cap warning. */
#include <check.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/exec_args.h"
#include "libcontainer/process/process.h"
#include "unit_run.h"

START_TEST(user_forms)
{
	struct berth_error err = {0};
	struct exec_user u = {0};

	ck_assert_int_eq(exec_parse_user("1000", &u, &err), 0);
	ck_assert(u.set && !u.has_gid);
	ck_assert_uint_eq(u.uid, 1000);

	u = (struct exec_user){0};
	ck_assert_int_eq(exec_parse_user("5:6", &u, &err), 0);
	ck_assert(u.set && u.has_gid);
	ck_assert_uint_eq(u.uid, 5);
	ck_assert_uint_eq(u.gid, 6);

	static const char *const bad[] = {"abc", "1:x", "1:", ":1", "1x", "1:2:3", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[64];
		snprintf(want, sizeof(want), "--user %s: expected UID[:GID]", bad[i]);
		ck_assert_int_eq(exec_parse_user(bad[i], &u, &err), -1);
		ck_assert_str_eq(err.msg, want);
	}
}
END_TEST

START_TEST(gids)
{
	struct berth_error err = {0};
	char *ok[] = {"7", "8"};
	char *bad[] = {"7", "q"};
	uint32_t *g = NULL;

	ck_assert_int_eq(exec_parse_gids(ok, 0, &g, &err), 0);
	ck_assert_ptr_null(g);
	ck_assert_int_eq(exec_parse_gids(ok, 2, &g, &err), 0);
	ck_assert_uint_eq(g[0], 7);
	ck_assert_uint_eq(g[1], 8);
	free(g);
	ck_assert_int_eq(exec_parse_gids(bad, 2, &g, &err), -1);
	ck_assert_ptr_null(g);
	ck_assert_str_eq(err.msg, "--additional-gids q: not a number");
}
END_TEST

/* "CAP_X" and "X" in upper case, as runc; anything else is skipped. */
START_TEST(caps)
{
	char *names[] = {"NO_SUCH_CAP", "CAP_SYS_ADMIN", "KILL", "sys_admin", "cap_chown"};
	uint64_t set = exec_parse_caps(names, 5, true);

	ck_assert_uint_eq(set, (1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_KILL));
	ck_assert_uint_eq(exec_parse_caps(names, 0, true), 0);
}
END_TEST

START_TEST(reexec_mark)
{
	unsetenv("_BERTH_EXESEALED");
	ck_assert(!exeseal_take_reexec_mark());
	setenv("_BERTH_EXESEALED", "1", 1);
	ck_assert(exeseal_take_reexec_mark());
	ck_assert_ptr_null(getenv("_BERTH_EXESEALED")); /* taken once */
	ck_assert(!exeseal_take_reexec_mark());
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exec_args");
	TCase *tc = tcase_create("exec_args");

	tcase_add_test(tc, user_forms);
	tcase_add_test(tc, gids);
	tcase_add_test(tc, caps);
	tcase_add_test(tc, reexec_mark);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
