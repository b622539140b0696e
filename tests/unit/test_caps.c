/* test_caps.c - the capability name table, caps_parse's warnings and
 * errors, and the five sets applied in a forked child as read back from
 * /proc/self/status (before and after a uid switch + execve). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/process/caps.h"
#include "unit_run.h"

#define BIT(c) ((uint64_t)1 << (c))

START_TEST(table_sorted_and_lookup)
{
	for (size_t i = 1; i < cap_name_table_len; i++)
		ck_assert_msg(strcmp(cap_name_table[i - 1].name, cap_name_table[i].name) < 0,
			      "%s before %s", cap_name_table[i - 1].name, cap_name_table[i].name);
	/* Every number 0..40 once. */
	uint64_t seen = 0;
	for (size_t i = 0; i < cap_name_table_len; i++) {
		ck_assert_int_lt(cap_name_table[i].value, 64);
		ck_assert(!(seen & BIT(cap_name_table[i].value)));
		seen |= BIT(cap_name_table[i].value);
	}
	ck_assert_uint_eq(seen, BIT(41) - 1);

	int cap = -1;
	ck_assert_int_eq(cap_from_name_checked("CAP_KILL", &cap), 0);
	ck_assert_int_eq(cap, 5);
	ck_assert_int_eq(cap_from_name_checked("CAP_SYS_ADMIN", &cap), 0);
	ck_assert_int_eq(cap, 21);
	ck_assert_int_eq(cap_from_name_checked("CAP_CHECKPOINT_RESTORE", &cap), 0);
	ck_assert_int_eq(cap, 40);
	/* Only the CAP_ upper-case form is a name. */
	ck_assert_int_eq(cap_from_name_checked("KILL", &cap), -1);
	ck_assert_int_eq(cap_from_name_checked("cap_kill", &cap), -1);
	ck_assert_int_eq(cap_from_name_checked("5", &cap), -1);
	ck_assert_int_eq(cap_from_name_checked("", &cap), -1);
	ck_assert_str_eq(cap_name_of(12), "CAP_NET_ADMIN");
	ck_assert_ptr_null(cap_name_of(63));
}
END_TEST

START_TEST(parse_sets)
{
	char *bounding[] = {"CAP_CHOWN", "CAP_KILL", "CAP_FUTURE_THING", "CAP_NET_BIND_SERVICE"};
	char *eff[] = {"CAP_KILL"};
	char *inh[] = {"CAP_NET_BIND_SERVICE", "CAP_CHOWN"};
	char *prm[] = {"CAP_KILL", "CAP_NET_BIND_SERVICE"};
	/* CAP_CHOWN is not permitted: it can't be ambient. */
	char *amb[] = {"CAP_NET_BIND_SERVICE", "CAP_CHOWN"};
	struct berth_capabilities c = {.bounding = bounding,
				       .n_bounding = 4,
				       .effective = eff,
				       .n_effective = 1,
				       .inheritable = inh,
				       .n_inheritable = 2,
				       .permitted = prm,
				       .n_permitted = 2,
				       .ambient = amb,
				       .n_ambient = 2,
				       .present = true};
	struct caps_sets s;
	struct berth_error err = {0};
	ck_assert_int_eq(caps_parse(&c, &s, &err), 0);
	/* The unknown name was skipped, not an error. */
	ck_assert_uint_eq(s.bounding, BIT(0) | BIT(5) | BIT(10));
	ck_assert_uint_eq(s.effective, BIT(5));
	ck_assert_uint_eq(s.inheritable, BIT(10) | BIT(0));
	ck_assert_uint_eq(s.permitted, BIT(5) | BIT(10));
	ck_assert_uint_eq(s.ambient, BIT(10));

	/* Absent: nothing at all. */
	c.present = false;
	ck_assert_int_eq(caps_parse(&c, &s, &err), 0);
	ck_assert_uint_eq(s.bounding | s.effective | s.inheritable | s.permitted | s.ambient, 0);
}
END_TEST

START_TEST(parse_malformed)
{
	/* Malformed names are skipped like unknown ones (runc does the same). */
	char *bounding[] = {"CAP_CHOWN", "UNKNOWN_CAP", "CAP_KILL", "cap_net_raw", "", "CAP_"};
	struct berth_capabilities c = {.bounding = bounding, .n_bounding = 6, .present = true};
	struct caps_sets s;
	struct berth_error err = {0};
	ck_assert_int_eq(caps_parse(&c, &s, &err), 0);
	ck_assert_uint_eq(s.bounding, BIT(0) | BIT(5));
}
END_TEST

START_TEST(features_list)
{
	const char *names[CAPS_MAX];
	size_t n = caps_supported(names);
	int last = cap_last_supported();
	ck_assert_int_ge(last, 37);
	size_t want = (size_t)(last < 40 ? last : 40) + 1;
	ck_assert_uint_eq(n, want);
	ck_assert_str_eq(names[0], "CAP_CHOWN");
	ck_assert_str_eq(names[21], "CAP_SYS_ADMIN");
}
END_TEST

/* ---- applying, in a forked child ---- */

struct status_caps {
	uint64_t inh, prm, eff, bnd, amb;
};

static void parse_status(const char *text, struct status_caps *c)
{
	memset(c, 0xff, sizeof(*c));
	const char *p;
	if ((p = strstr(text, "CapInh:")))
		sscanf(p, "CapInh: %lx", &c->inh);
	if ((p = strstr(text, "CapPrm:")))
		sscanf(p, "CapPrm: %lx", &c->prm);
	if ((p = strstr(text, "CapEff:")))
		sscanf(p, "CapEff: %lx", &c->eff);
	if ((p = strstr(text, "CapBnd:")))
		sscanf(p, "CapBnd: %lx", &c->bnd);
	if ((p = strstr(text, "CapAmb:")))
		sscanf(p, "CapAmb: %lx", &c->amb);
}

/* Child: drop bounding, optionally switch to uid/gid 1000 keeping caps,
 * apply, then either dump its own status or exec cat on it. */
static void child(const struct caps_sets *s, bool switch_user, int out)
{
	struct berth_error err = {0};
	if (dup2(out, 1) < 0 || caps_drop_bounding(s, &err) < 0)
		_exit(10);
	if (switch_user) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups(0, NULL) < 0 ||
		    setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0)
			_exit(11);
	}
	if (caps_apply(s, &err) < 0) {
		dprintf(2, "caps_apply: %s\n", err.msg);
		_exit(12);
	}
	if (switch_user) {
		/* After execve of an ordinary binary only ambient caps (and
		 * the bounding/inheritable sets) remain. */
		execl("/bin/cat", "cat", "/proc/self/status", (char *)NULL);
		_exit(13);
	}
	char buf[8192];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (n <= 0 || write(1, buf, (size_t)n) != n)
		_exit(14);
	_exit(0);
}

static void run_child(const struct caps_sets *s, bool switch_user, struct status_caps *got)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		child(s, switch_user, p[1]);
	}
	close(p[1]);
	static char buf[16384];
	size_t len = 0;
	ssize_t n;
	while ((n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(p[0]);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status 0x%x", st);
	parse_status(buf, got);
}

static const struct caps_sets sets = {
    .bounding = BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(10), /* CHOWN KILL SETGID SETUID NBS */
    .effective = BIT(0) | BIT(5) | BIT(10),
    .permitted = BIT(0) | BIT(5) | BIT(10),
    .inheritable = BIT(10),
    .ambient = BIT(10),
};

START_TEST(apply_as_root)
{
	struct status_caps c;
	run_child(&sets, false, &c);
	ck_assert_uint_eq(c.bnd, sets.bounding);
	ck_assert_uint_eq(c.eff, sets.effective);
	ck_assert_uint_eq(c.prm, sets.permitted);
	ck_assert_uint_eq(c.inh, sets.inheritable);
	ck_assert_uint_eq(c.amb, sets.ambient);
}
END_TEST

START_TEST(apply_after_setuid_and_exec)
{
	struct status_caps c;
	run_child(&sets, true, &c);
	ck_assert_uint_eq(c.bnd, sets.bounding);
	ck_assert_uint_eq(c.inh, BIT(10));
	ck_assert_uint_eq(c.amb, BIT(10));
	ck_assert_uint_eq(c.prm, BIT(10));
	ck_assert_uint_eq(c.eff, BIT(10));
}
END_TEST

START_TEST(apply_nothing)
{
	/* No capabilities at all, as for an absent process.capabilities. */
	struct caps_sets none = {0};
	struct status_caps c;
	run_child(&none, false, &c);
	ck_assert_uint_eq(c.bnd | c.eff | c.prm | c.inh | c.amb, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("caps");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, table_sorted_and_lookup);
	tcase_add_test(tc, parse_sets);
	tcase_add_test(tc, parse_malformed);
	tcase_add_test(tc, features_list);
	tcase_add_test(tc, apply_as_root);
	tcase_add_test(tc, apply_after_setuid_and_exec);
	tcase_add_test(tc, apply_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
