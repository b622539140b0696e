/* test_oci_features.c - the features document is rendered from the
 * library's typed answers (caps, LSMs, seccomp): each JSON part holds
 * exactly what the typed call returns, in its order, under runc's names. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/process/caps.h"
#include "libcontainer/process/lsm.h"
#include "libcontainer/seccomp/seccomp_filter.h"
#include "runtime/oci_features.h"
#include "unit_run.h"

static json_t *doc;
static json_t *linux_;

static void setup(void)
{
	struct berth_error err = {0};
	doc = features_json(&err);
	ck_assert_msg(doc, "%s", err.msg);
	linux_ = json_object_get(doc, "linux");
	ck_assert(json_is_object(linux_));
}

static void teardown(void)
{
	json_decref(doc);
}

static void assert_names(json_t *a, const char *const *names, size_t n)
{
	ck_assert(json_is_array(a));
	ck_assert_uint_eq(json_array_size(a), n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(json_string_value(json_array_get(a, i)), names[i]);
}

START_TEST(capabilities)
{
	const char *names[CAPS_MAX];
	size_t n = caps_supported(names);
	assert_names(json_object_get(linux_, "capabilities"), names, n);
}
END_TEST

START_TEST(lsms)
{
	json_t *aa = json_object_get(json_object_get(linux_, "apparmor"), "enabled");
	json_t *se = json_object_get(json_object_get(linux_, "selinux"), "enabled");
	ck_assert(json_is_boolean(aa) && json_is_boolean(se));
	ck_assert_int_eq(json_is_true(aa), lsm_apparmor_enabled());
	ck_assert_int_eq(json_is_true(se), lsm_selinux_enabled());
}
END_TEST

START_TEST(seccomp)
{
	struct seccomp_features f;
	struct berth_error err = {0};
	json_t *j = json_object_get(linux_, "seccomp");
	ck_assert_int_eq(seccomp_features_probe(&f, &err), 0);
	ck_assert(json_is_boolean(json_object_get(j, "enabled")));
	ck_assert_int_eq(json_is_true(json_object_get(j, "enabled")), f.enabled);
	assert_names(json_object_get(j, "actions"), f.actions.names, f.actions.n);
	assert_names(json_object_get(j, "operators"), f.operators.names, f.operators.n);
	assert_names(json_object_get(j, "archs"), f.archs.names, f.archs.n);
	assert_names(json_object_get(j, "knownFlags"), f.known_flags.names, f.known_flags.n);
	assert_names(json_object_get(j, "supportedFlags"), f.supported_flags.names,
		     f.supported_flags.n);
	seccomp_features_free(&f);
}
END_TEST

/* Field order is part of the output (runc's, and what the integration
 * tests compare byte for byte). */
START_TEST(linux_key_order)
{
	static const char *const want[] = {"namespaces", "capabilities", "cgroup",
					   "seccomp",	 "apparmor",	 "selinux",
					   "intelRdt",	 "netDevices",	 "mountExtensions"};
	const char *key;
	json_t *v;
	size_t i = 0;
	json_object_foreach(linux_, key, v)
	{
		ck_assert_uint_lt(i, sizeof(want) / sizeof(*want));
		ck_assert_str_eq(key, want[i++]);
	}
	ck_assert_uint_eq(i, sizeof(want) / sizeof(*want));
	char *text = json_dumps(json_object_get(linux_, "seccomp"), JSON_COMPACT);
	ck_assert_msg(strncmp(text, "{\"enabled\":", 11) == 0 &&
			  strstr(text, "],\"supportedFlags\":["),
		      "%s", text);
	free(text);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("oci_features");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, capabilities);
	tcase_add_test(tc, lsms);
	tcase_add_test(tc, seccomp);
	tcase_add_test(tc, linux_key_order);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
