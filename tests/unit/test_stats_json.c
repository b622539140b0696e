/* test_stats_json.c - the events --stats "data" object rendered from typed
 * stats: runc's field names and order, fields the kernel did not offer
 * left out, lists that were read but empty kept as [], and {} when there
 * is no cgroup. The expected strings are the shapes berth printed when
 * stats.c built JSON itself (and runc prints). */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/stats_json.h"
#include "unit_run.h"

static void assert_renders(const struct cgroup_stats *st, const char *want)
{
	json_t *j = stats_json(st);
	char *text;

	ck_assert_ptr_nonnull(j);
	text = json_dumps(j, JSON_COMPACT);
	ck_assert_msg(strcmp(text, want) == 0, "\n got: %s\nwant: %s", text, want);
	free(text);
	json_decref(j);
}

START_TEST(no_cgroup)
{
	struct cgroup_stats st = {0};
	assert_renders(&st, "{}");
}
END_TEST

START_TEST(v1_full)
{
	uint64_t percpu[] = {0, 2090240}, zero[] = {0, 0};
	struct cgroup_stat_kv raw[] = {{"cache", 7}, {"rss", 53248}};
	struct cgroup_blkio_entry bytes[] = {{8, 0, "Read", 4096}, {8, 0, "Total", 4096}};
	struct cgroup_hugetlb_stats huge[] = {{"2MB", 0, true, 2097152, 1},
					      {"1GB", 5, false, 0, 0}};
	struct cgroup_mem_entry kmem = {true, true, 110592, 135168, UINT64_MAX / 2 - 4095, 0};
	struct cgroup_stats st = {
	    .present = true,
	    .cpu = {.has_total = true,
		    .total = 2090240,
		    .percpu = {true, percpu, 2},
		    .percpu_kernel = {true, zero, 2},
		    .percpu_user = {true, zero, 2},
		    .kernel = 10000000,
		    .user = 20000000,
		    .has_periods = true,
		    .periods = 2,
		    .has_throttled_periods = true,
		    .has_throttled_time = true},
	    .memory = {.present = true,
		       .usage = {true, true, 204800, 262144, 67108864, 0},
		       .swap = {true, false, 204800, 0, 67108864, 3},
		       .has_kernel = true,
		       .kernel = kmem,
		       .kernel_tcp = {true, true, 0, 0, UINT64_MAX / 2 - 4095, 0},
		       .has_cache = true,
		       .cache = 7,
		       .has_raw = true,
		       .raw = raw,
		       .n_raw = 2},
	    .pids = {true, true, 1, 64},
	    .io_service_bytes = {true, bytes, 2},
	    .io_serviced = {true, NULL, 0},
	    .hugetlb = huge,
	    .n_hugetlb = 2,
	};
	assert_renders(
	    &st,
	    "{\"cpu\":{\"usage\":{\"total\":2090240,\"percpu\":[0,2090240],\"percpu_kernel\":[0,"
	    "0],\"percpu_user\":[0,0],\"kernel\":10000000,\"user\":20000000},\"throttling\":{"
	    "\"periods\":2,\"throttledPeriods\":0,\"throttledTime\":0}},\"memory\":{\"usage\":{"
	    "\"usage\":204800,\"max\":262144,\"limit\":67108864,\"failcnt\":0},\"swap\":{"
	    "\"usage\":204800,\"limit\":67108864,\"failcnt\":3},\"kernel\":{\"usage\":110592,"
	    "\"max\":135168,\"limit\":9223372036854771712,\"failcnt\":0},\"kernelTCP\":{"
	    "\"usage\":0,\"max\":0,\"limit\":9223372036854771712,\"failcnt\":0},\"cache\":7,"
	    "\"raw\":{\"cache\":7,\"rss\":53248}},\"pids\":{\"current\":1,\"limit\":64},"
	    "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"minor\":0,\"op\":\"Read\","
	    "\"value\":4096},{\"major\":8,\"minor\":0,\"op\":\"Total\",\"value\":4096}],"
	    "\"ioServicedRecursive\":[]},\"hugetlb\":{\"2MB\":{\"usage\":0,\"max\":2097152,"
	    "\"failcnt\":1},\"1GB\":{\"usage\":5,\"failcnt\":0}}}");
}
END_TEST

/* v2: no percpu lists, no kernel memory, a "max" limit, no io.stat and
 * no pids limit; kernel/user are always there, even as 0. */
START_TEST(v2_sparse)
{
	struct cgroup_stats st = {
	    .present = true,
	    .cpu = {.has_total = true, .total = 5000},
	    .memory = {.present = true,
		       .usage = {true, false, 4096, 0, UINT64_MAX, 0},
		       .swap = {true, false, 0, 0, UINT64_MAX, 0}},
	    .pids = {.has_current = true, .current = 2},
	};
	assert_renders(&st, "{\"cpu\":{\"usage\":{\"total\":5000,\"kernel\":0,\"user\":0},"
			    "\"throttling\":{}},\"memory\":{\"usage\":{\"usage\":4096,\"limit\":-1,"
			    "\"failcnt\":0},\"swap\":{\"usage\":0,\"limit\":-1,\"failcnt\":0}},"
			    "\"pids\":{\"current\":2},\"blkio\":{},\"hugetlb\":{}}");
}
END_TEST

START_TEST(no_memory_controller)
{
	struct cgroup_stats st = {.present = true};
	assert_renders(&st, "{\"cpu\":{\"usage\":{\"kernel\":0,\"user\":0},\"throttling\":{}},"
			    "\"memory\":{},\"pids\":{},\"blkio\":{},\"hugetlb\":{}}");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("stats_json");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, no_cgroup);
	tcase_add_test(tc, v1_full);
	tcase_add_test(tc, v2_sparse);
	tcase_add_test(tc, no_memory_controller);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
