/* test_passwd.c - passwd(5) lines as berth reads them for HOME and for the
 * owner `list` shows: what is an entry, what is skipped. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/process/passwd.h"
#include "unit_run.h"

static bool parse(const char *text, struct passwd_entry *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", text);
	return passwd_parse_line(buf, e);
}

START_TEST(full_line)
{
	char buf[256];
	struct passwd_entry e;

	ck_assert(parse("daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", &e, buf, sizeof(buf)));
	ck_assert_str_eq(e.name, "daemon");
	ck_assert_uint_eq(e.uid, 1);
	ck_assert_str_eq(e.home, "/usr/sbin");
}
END_TEST

/* An empty password field is a field: the uid is the third one, never the
 * gid after it (the old owner lookup skipped empty fields). */
START_TEST(empty_fields_count)
{
	char buf[256];
	struct passwd_entry e;

	ck_assert(parse("alice::1000:0::/home/alice:/bin/sh", &e, buf, sizeof(buf)));
	ck_assert_uint_eq(e.uid, 1000);
	ck_assert_str_eq(e.home, "/home/alice");
	ck_assert(parse("nohome:x:7:7:gecos::/bin/sh", &e, buf, sizeof(buf)));
	ck_assert_str_eq(e.home, "");
	ck_assert(parse("short:x:8", &e, buf, sizeof(buf)));
	ck_assert_uint_eq(e.uid, 8);
	ck_assert_str_eq(e.home, "");
	ck_assert(parse("max:x:4294967295:0::/m:", &e, buf, sizeof(buf)));
	ck_assert_uint_eq(e.uid, 4294967295u);
}
END_TEST

START_TEST(not_entries)
{
	static const char *const bad[] = {
	    "",
	    "\n",
	    "# comment",
	    "name:x",
	    ":x:0:0::/root:/bin/sh",
	    "n:x::0::/h:",
	    "n:x:abc:0::/h:",
	    "n:x:1a:0::/h:",
	    "n:x: 1:0::/h:",
	    "n:x:-1:0::/h:",
	    "n:x:4294967296:0::/h:",
	};
	char buf[256];
	struct passwd_entry e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!parse(bad[i], &e, buf, sizeof(buf)), "\"%s\" taken as an entry",
			      bad[i]);
}
END_TEST

START_TEST(file_in_order)
{
	char path[] = "/tmp/berth-test-passwd-XXXXXX";
	int fd = mkstemp(path);
	const char *text = "root:x:0:0:root:/root:/bin/sh\n"
			   "garbage line\n"
			   "\n"
			   "dup:x:5:5:::\n"
			   "dup2:x:5:5::/d:\n"
			   "last:x:9:9::/l:/bin/sh"; /* no newline at the end */
	struct passwd_file pf;
	struct passwd_entry e;
	const char *names[] = {"root", "dup", "dup2", "last"};
	size_t n = 0;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(passwd_open(&pf, path), 0);
	while (passwd_next(&pf, &e)) {
		ck_assert_uint_lt(n, 4);
		ck_assert_str_eq(e.name, names[n++]);
	}
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(e.home, "/l");
	passwd_close(&pf);
	unlink(path);
	ck_assert_int_eq(passwd_open(&pf, path), -1);
	passwd_close(&pf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("passwd");
	TCase *tc = tcase_create("passwd");

	tcase_add_test(tc, full_line);
	tcase_add_test(tc, empty_fields_count);
	tcase_add_test(tc, not_entries);
	tcase_add_test(tc, file_in_order);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
