/* test_spec_default.c - the default config.json (`berth spec`) and the
 * spec-examples fixtures go through berth's own config parser. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/config/config.h"
#include "runtime/spec_default.h"
#include "unit_run.h"

static struct berth_spec *parse_default(bool rootless)
{
	char *text = spec_default_text(rootless);
	struct berth_error err = {0};
	struct berth_spec *s;

	ck_assert_ptr_nonnull(text);
	s = berth_spec_parse(text, strlen(text), &err);
	ck_assert_msg(s != NULL, "default spec (rootless=%d) rejected: %s", rootless, err.msg);
	free(text);
	return s;
}

static bool has_string(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

START_TEST(default_spec_parses)
{
	struct berth_spec *s = parse_default(false);

	ck_assert_str_eq(s->oci_version, "1.3.0");
	ck_assert_str_eq(s->root.path, "rootfs");
	ck_assert(s->root.readonly);
	ck_assert_str_eq(s->hostname, "berth");
	ck_assert(s->process.terminal);
	ck_assert_uint_eq(s->process.n_args, 1);
	ck_assert_str_eq(s->process.args[0], "sh");
	ck_assert_str_eq(s->process.cwd, "/");
	ck_assert(s->process.no_new_privileges);
	ck_assert(s->process.capabilities.present);
	ck_assert_uint_eq(s->process.capabilities.n_bounding, 3);
	ck_assert_uint_eq(s->process.capabilities.n_ambient, 0);
	ck_assert(has_string(s->process.capabilities.effective, s->process.capabilities.n_effective,
			     "CAP_NET_BIND_SERVICE"));
	ck_assert_uint_eq(s->process.n_rlimits, 1);
	ck_assert_uint_eq(s->process.rlimits[0].hard, 1024);
	ck_assert_uint_eq(s->n_mounts, 7);
	ck_assert_str_eq(s->mounts[2].destination, "/dev/pts");
	ck_assert(has_string(s->mounts[2].options, s->mounts[2].n_options, "gid=5"));
	ck_assert_ptr_nonnull(berth_spec_namespace(s, BERTH_NS_NETWORK));
	ck_assert_ptr_nonnull(berth_spec_namespace(s, BERTH_NS_MOUNT));
	ck_assert_ptr_null(berth_spec_namespace(s, BERTH_NS_USER));
	ck_assert(s->linux_.resources.present);
	ck_assert_uint_eq(s->linux_.resources.n_devices, 1);
	ck_assert(!s->linux_.resources.devices[0].allow);
	ck_assert(has_string(s->linux_.masked_paths, s->linux_.n_masked_paths, "/proc/kcore"));
	ck_assert(has_string(s->linux_.readonly_paths, s->linux_.n_readonly_paths, "/proc/sys"));
	berth_spec_free(s);
}
END_TEST

START_TEST(rootless_spec_parses)
{
	struct berth_spec *s = parse_default(true);
	const struct berth_mount *sys = NULL;

	ck_assert_ptr_nonnull(berth_spec_namespace(s, BERTH_NS_USER));
	ck_assert_ptr_null(berth_spec_namespace(s, BERTH_NS_NETWORK));
	ck_assert_uint_eq(s->linux_.n_uid_mappings, 1);
	ck_assert_uint_eq(s->linux_.uid_mappings[0].container_id, 0);
	ck_assert_uint_eq(s->linux_.uid_mappings[0].host_id, geteuid());
	ck_assert_uint_eq(s->linux_.uid_mappings[0].size, 1);
	ck_assert_uint_eq(s->linux_.n_gid_mappings, 1);
	ck_assert_uint_eq(s->linux_.gid_mappings[0].host_id, getegid());
	ck_assert(!s->linux_.resources.present);
	for (size_t i = 0; i < s->n_mounts; i++) {
		ck_assert(!has_string(s->mounts[i].options, s->mounts[i].n_options, "gid=5"));
		if (strcmp(s->mounts[i].destination, "/sys") == 0)
			sys = &s->mounts[i];
	}
	ck_assert_ptr_nonnull(sys);
	ck_assert_str_eq(sys->source, "/sys");
	ck_assert(has_string(sys->options, sys->n_options, "rbind"));
	berth_spec_free(s);
}
END_TEST

START_TEST(every_example_parses)
{
	const char *dir = SOURCE_ROOT "/spec-examples";
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char path[4096];
		struct berth_error err = {0};
		struct berth_spec *s;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/config.json", dir, e->d_name);
		if (access(path, F_OK) != 0)
			continue;
		s = berth_spec_load(path, &err);
		ck_assert_msg(s != NULL, "%s: %s", path, err.msg);
		ck_assert_str_eq(s->root.path, "rootfs");
		berth_spec_free(s);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 7);
}
END_TEST

START_TEST(write_refuses_existing_config)
{
	char dir[] = "/tmp/berth-test-spec-XXXXXX";
	char path[256], buf[64] = {0};
	struct berth_error err = {0};
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(spec_default_write(dir, false, &err), 0);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	ck_assert_int_eq(access(path, R_OK), 0);

	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "keep", 4), 4);
	close(fd);
	ck_assert_int_eq(spec_default_write(dir, true, &err), -1);
	ck_assert_str_eq(err.msg, "File config.json exists. Remove it first");
	fd = open(path, O_RDONLY);
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 4);
	close(fd);
	ck_assert_str_eq(buf, "keep");

	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	/* and a missing directory is named in the error */
	ck_assert_int_eq(spec_default_write(dir, false, &err), -1);
	ck_assert_int_eq(err.errnum, ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, dir));
}
END_TEST

static Suite *spec_default_suite(void)
{
	Suite *s = suite_create("spec_default");
	TCase *tc = tcase_create("spec");

	tcase_add_test(tc, default_spec_parses);
	tcase_add_test(tc, rootless_spec_parses);
	tcase_add_test(tc, every_example_parses);
	tcase_add_test(tc, write_refuses_existing_config);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(spec_default_suite());
}
