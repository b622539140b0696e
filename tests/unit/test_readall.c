/* test_readall.c - a descriptor read to its end: empty, exactly the hint,
 * larger than the hint (grows), a pipe fed in pieces, the size cap. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/readall.h"
#include "unit_run.h"

/* A pipe holding `len` bytes of `c`, its write end closed. */
static int pipe_with(size_t len, char c)
{
	int p[2];
	char *buf = malloc(len + 1);

	ck_assert_ptr_nonnull(buf);
	memset(buf, c, len);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], buf, len), (ssize_t)len);
	close(p[1]);
	free(buf);
	return p[0];
}

START_TEST(sizes_around_the_hint)
{
	static const size_t sizes[] = {0, 1, 99, 100, 101, 1000, 60000};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int fd = pipe_with(sizes[i], 'a');
		char *out = NULL;
		size_t len = 1;

		ck_assert_int_eq(read_all_fd(fd, 100, 0, &out, &len), 0);
		ck_assert_uint_eq(len, sizes[i]);
		ck_assert_int_eq(out[len], '\0');
		ck_assert_uint_eq(strspn(out, "a"), sizes[i]);
		free(out);
		close(fd);
	}
}
END_TEST

START_TEST(no_hint)
{
	int fd = pipe_with(5000, 'b');
	char *out = NULL;
	size_t len = 0;

	ck_assert_int_eq(read_all_fd(fd, 0, 0, &out, &len), 0);
	ck_assert_uint_eq(len, 5000);
	ck_assert_uint_eq(strlen(out), 5000);
	free(out);
	close(fd);
}
END_TEST

START_TEST(max_is_efbig)
{
	int fd = pipe_with(101, 'c');
	char *out = NULL;
	size_t len = 0;

	ck_assert_int_eq(read_all_fd(fd, 0, 100, &out, &len), -1);
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_ptr_null(out);
	close(fd);
	fd = pipe_with(100, 'c');
	ck_assert_int_eq(read_all_fd(fd, 0, 100, &out, &len), 0);
	ck_assert_uint_eq(len, 100);
	free(out);
	close(fd);
}
END_TEST

START_TEST(read_error)
{
	char *out = NULL;
	size_t len = 0;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(read_all_fd(p[1], 0, 0, &out, &len), -1); /* the write end */
	ck_assert_int_eq(errno, EBADF);
	ck_assert_ptr_null(out);
	close(p[0]);
	close(p[1]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("readall");
	TCase *tc = tcase_create("readall");

	tcase_add_test(tc, sizes_around_the_hint);
	tcase_add_test(tc, no_hint);
	tcase_add_test(tc, max_is_efbig);
	tcase_add_test(tc, read_error);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
