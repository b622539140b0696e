/* test_stats_json.c - the events --stats "data" object rendered from typed
 * stats: runc 1.1's field names and order (its Go structs'), zero values
 * and empty lists of the fields runc tags omitempty left out, map keys
 * (memory.stat, hugetlb sizes) sorted as Go sorts them, unsigned numbers
 * above INT64_MAX in full, and {} when there is no cgroup. The expected
 * strings are what runc prints for the same numbers (compared live in
 * tests/integration/events-compat.bats); before, jansson printed a v2
 * "max" limit as -1, kept zero fields, and had no cpuset. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/stats_json.h"
#include "unit_run.h"

static void assert_renders(const struct cgroup_stats *st, const char *want)
{
	char *text = stats_json(st);

	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strcmp(text, want) == 0, "\n got: %s\nwant: %s", text, want);
	free(text);
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
	uint16_t cpus[] = {0, 1}, mems[] = {0};
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
	    .cpuset = {.cpus = cpus,
		       .n_cpus = 2,
		       .mems = mems,
		       .n_mems = 1,
		       .sched_load_balance = 1,
		       .sched_relax_domain_level = -1},
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
	assert_renders(&st, "{\"cpu\":{\"usage\":{\"total\":2090240,\"percpu\":[0,2090240],"
			    "\"percpu_kernel\":[0,0],\"percpu_user\":[0,0],\"kernel\":10000000,"
			    "\"user\":20000000},\"throttling\":{\"periods\":2}},"
			    "\"cpuset\":{\"cpus\":[0,1],\"cpu_exclusive\":0,\"mems\":[0],"
			    "\"mem_hardwall\":0,\"mem_exclusive\":0,\"memory_migrate\":0,"
			    "\"memory_spread_page\":0,\"memory_spread_slab\":0,"
			    "\"memory_pressure\":0,\"sched_load_balance\":1,"
			    "\"sched_relax_domain_level\":-1},\"memory\":{\"cache\":7,"
			    "\"usage\":{\"limit\":67108864,\"usage\":204800,\"max\":262144,"
			    "\"failcnt\":0},\"swap\":{\"limit\":67108864,\"usage\":204800,"
			    "\"failcnt\":3},\"kernel\":{\"limit\":9223372036854771712,"
			    "\"usage\":110592,\"max\":135168,\"failcnt\":0},"
			    "\"kernelTCP\":{\"limit\":9223372036854771712,\"failcnt\":0},"
			    "\"raw\":{\"cache\":7,\"rss\":53248}},\"pids\":{\"current\":1,"
			    "\"limit\":64},\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,"
			    "\"op\":\"Read\",\"value\":4096},{\"major\":8,\"op\":\"Total\","
			    "\"value\":4096}]},\"hugetlb\":{\"1GB\":{\"usage\":5,\"failcnt\":0},"
			    "\"2MB\":{\"max\":2097152,\"failcnt\":1}},\"intel_rdt\":{},"
			    "\"network_interfaces\":null}");
}
END_TEST

/* v2: no percpu lists, no kernel memory, a "max" limit (2^64-1, printed
 * in full), no io.stat and no pids limit; kernel/user are always there,
 * even as 0, and so are the zeroed kernel memory entries. */
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
	assert_renders(
	    &st,
	    "{\"cpu\":{\"usage\":{\"total\":5000,\"kernel\":0,\"user\":0},\"throttling\":{}},"
	    "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,"
	    "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
	    "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":0},"
	    "\"memory\":{\"usage\":{\"limit\":18446744073709551615,\"usage\":4096,\"failcnt\":0},"
	    "\"swap\":{\"limit\":18446744073709551615,\"failcnt\":0},\"kernel\":{\"limit\":0,"
	    "\"failcnt\":0},\"kernelTCP\":{\"limit\":0,\"failcnt\":0}},\"pids\":{\"current\":2},"
	    "\"blkio\":{},\"hugetlb\":{},\"intel_rdt\":{},\"network_interfaces\":null}");
}
END_TEST

START_TEST(no_memory_controller)
{
	struct cgroup_stats st = {.present = true};
	assert_renders(
	    &st, "{\"cpu\":{\"usage\":{\"kernel\":0,\"user\":0},\"throttling\":{}},"
		 "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,"
		 "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
		 "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":0},"
		 "\"memory\":{\"usage\":{\"limit\":0,\"failcnt\":0},\"swap\":{\"limit\":0,"
		 "\"failcnt\":0},\"kernel\":{\"limit\":0,\"failcnt\":0},\"kernelTCP\":{\"limit\":0,"
		 "\"failcnt\":0}},\"pids\":{},\"blkio\":{},\"hugetlb\":{},\"intel_rdt\":{},"
		 "\"network_interfaces\":null}");
}
END_TEST

/* The line around the data: Go's escaping of a string, data verbatim. */
START_TEST(event_line)
{
	char *line = event_json("stats", "a\"b<&>\n", "{\"x\":18446744073709551615}");

	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line, "{\"type\":\"stats\",\"id\":\"a\\\"b\\u003c\\u0026\\u003e\\n\","
			       "\"data\":{\"x\":18446744073709551615}}");
	free(line);
	line = event_json("oom", "c1", NULL);
	ck_assert_str_eq(line, "{\"type\":\"oom\",\"id\":\"c1\"}");
	free(line);
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
	tcase_add_test(tc, event_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
