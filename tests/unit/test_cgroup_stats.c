/* test_cgroup_stats.c - stats.c's parsing of cgroup v2 and v1 files into
 * struct cgroup_stats, on a fake directory of files (no root needed), and
 * the events --stats object rendered from it: unit conversions (usec to
 * ns), "max" limits, the keyed files, io.stat into runc's two blkio lists,
 * memory.stat in file order with "file" (v2) or "cache" (v1) as the
 * cache; the v1 files of a fake hierarchy the same way, cpuset included.
 * The expected text is runc 1.1's shape for the same numbers (its field
 * order, zero fields it tags omitempty left out, a v2 "max" limit as
 * 18446744073709551615), checked against runc in events-compat.bats. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup_internal.h"
#include "runtime/stats_json.h"
#include "unit_run.h"

static char dir[64];

static void put(const char *file, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/berth-test-stats-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *render(const struct cgroup_stats *st)
{
	char *text = stats_json(st);

	ck_assert_ptr_nonnull(text);
	return text;
}

START_TEST(v2_full)
{
	struct cgroup_stats st;
	struct berth_error err = {0};
	bool huge2m = access("/sys/kernel/mm/hugepages/hugepages-2048kB", F_OK) == 0;
	char want[2048];
	char *got;

	put("cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods "
			"4\nnr_throttled 1\nthrottled_usec 20\n");
	put("memory.current", "4096\n");
	put("memory.peak", "8192\n"); /* not read: runc 1.1 has no v2 max */
	put("memory.max", "max\n");
	put("memory.events", "low 0\nhigh 0\nmax 3\noom 0\noom_kill 0\n");
	put("memory.swap.current", "0\n");
	/* swap is reported as memory + swap, as v1's memsw; runc's sum with
	 * an unlimited memory.max wraps (1048576 + 2^64-1 = 1048575) */
	put("memory.swap.max", "1048576\n");
	put("memory.stat", "anon 4096\nfile 12288\nkernel 512\n");
	put("pids.current", "2\n");
	put("pids.max", "max\n");
	put("io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=1 "
		       "wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
	put("hugetlb.2MB.current", "0\n");
	put("hugetlb.2MB.events", "max 5\n");

	ck_assert_int_eq(cg_stats_v2(dir, &st, &err), 0);
	ck_assert(st.present && st.cpu.has_total);
	ck_assert_uint_eq(st.cpu.total, 1500000);
	ck_assert_uint_eq(st.memory.usage.limit, UINT64_MAX);
	ck_assert_uint_eq(st.memory.usage.failcnt, 3);
	ck_assert(st.memory.has_cache && st.memory.cache == 12288);
	ck_assert(st.pids.has_current && !st.pids.has_limit);
	ck_assert_uint_eq(st.io_service_bytes.n, 4);
	ck_assert_uint_eq(st.io_serviced.n, 4);
	ck_assert_uint_eq(st.n_hugetlb, huge2m ? 1 : 0);

	snprintf(want, sizeof(want),
		 "{\"cpu\":{\"usage\":{\"total\":1500000,\"kernel\":500000,\"user\":1000000},"
		 "\"throttling\":{\"periods\":4,\"throttledPeriods\":1,\"throttledTime\":20000}},"
		 "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,"
		 "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
		 "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":0},"
		 "\"memory\":{\"cache\":12288,\"usage\":{\"limit\":18446744073709551615,"
		 "\"usage\":4096,\"failcnt\":3},\"swap\":{\"limit\":1048575,\"usage\":4096,"
		 "\"failcnt\":0},\"kernel\":{\"limit\":0,\"failcnt\":0},"
		 "\"kernelTCP\":{\"limit\":0,\"failcnt\":0},\"raw\":{\"anon\":4096,\"file\":12288,"
		 "\"kernel\":512}},\"pids\":{\"current\":2},"
		 "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\","
		 "\"value\":4096},{\"major\":8,\"op\":\"Write\",\"value\":8192},{\"major\":253,"
		 "\"minor\":1,\"op\":\"Read\",\"value\":1},{\"major\":253,\"minor\":1,"
		 "\"op\":\"Write\"}],\"ioServicedRecursive\":[{\"major\":8,\"op\":\"Read\","
		 "\"value\":1},{\"major\":8,\"op\":\"Write\",\"value\":2},{\"major\":253,"
		 "\"minor\":1,\"op\":\"Read\",\"value\":1},{\"major\":253,\"minor\":1,"
		 "\"op\":\"Write\"}]},\"hugetlb\":{%s},\"intel_rdt\":{},"
		 "\"network_interfaces\":null}",
		 huge2m ? "\"2MB\":{\"failcnt\":5}" : "");
	got = render(&st);
	ck_assert_msg(strcmp(got, want) == 0, "\n got: %s\nwant: %s", got, want);
	free(got);
	cgroup_stats_free(&st);
}
END_TEST

/* v1: every controller's files in one fake hierarchy; cpuacct.stat in
 * USER_HZ ticks, the blkio lines as they are (the device-less "Total"
 * line skipped), an empty percpu list kept as []. */
START_TEST(v1_full)
{
	struct cg_hier h = {.controllers = "cpu,cpuacct,cpuset,memory,pids,blkio,hugetlb",
			    .dir = dir};
	struct cgroup_manager m = {.hier = &h, .n_hier = 1};
	struct cgroup_stats st;
	struct berth_error err = {0};
	bool huge2m = access("/sys/kernel/mm/hugepages/hugepages-2048kB", F_OK) == 0;
	char want[2048];
	char *got;

	put("cpuacct.usage", "123456\n");
	put("cpuacct.usage_percpu", "100 200 \n");
	put("cpuacct.usage_percpu_sys", "1 2\n");
	put("cpuacct.usage_percpu_user", "\n");
	put("cpuacct.stat", "user 3\nsystem 4\n");
	put("cpu.stat", "nr_periods 5\nnr_throttled 6\nthrottled_time 7\n");
	put("cpuset.cpus", "0-2,5\n");
	put("cpuset.mems", "0\n");
	put("cpuset.sched_load_balance", "1\n");
	put("cpuset.sched_relax_domain_level", "-1\n");
	put("memory.usage_in_bytes", "4096\n");
	put("memory.max_usage_in_bytes", "8192\n");
	put("memory.limit_in_bytes", "9223372036854771712\n");
	put("memory.failcnt", "2\n");
	put("memory.memsw.usage_in_bytes", "4096\n");
	put("memory.kmem.usage_in_bytes", "100\n");
	put("memory.kmem.tcp.max_usage_in_bytes", "9\n");
	put("memory.stat", "cache 11\nrss 22\ntotal_cache 11\n");
	put("pids.current", "3\n");
	put("pids.max", "64\n");
	put("blkio.throttle.io_service_bytes_recursive",
	    "8:0 Read 4096\n8:0 Write 0\n8:0 Total 4096\nTotal 4096\n");
	put("hugetlb.2MB.usage_in_bytes", "7\n");
	put("hugetlb.2MB.max_usage_in_bytes", "8\n");

	ck_assert_int_eq(cg_stats_v1(&m, &st, &err), 0);
	snprintf(want, sizeof(want),
		 "{\"cpu\":{\"usage\":{\"total\":123456,\"percpu\":[100,200],\"percpu_kernel\":[1,"
		 "2],\"kernel\":40000000,\"user\":30000000},\"throttling\":{\"periods\":5,"
		 "\"throttledPeriods\":6,\"throttledTime\":7}},\"cpuset\":{\"cpus\":[0,1,2,5],"
		 "\"cpu_exclusive\":0,\"mems\":[0],\"mem_hardwall\":0,\"mem_exclusive\":0,"
		 "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
		 "\"memory_pressure\":0,\"sched_load_balance\":1,\"sched_relax_domain_level\":-1},"
		 "\"memory\":{\"cache\":11,\"usage\":{\"limit\":9223372036854771712,"
		 "\"usage\":4096,\"max\":8192,\"failcnt\":2},\"swap\":{\"limit\":0,\"usage\":4096,"
		 "\"failcnt\":0},\"kernel\":{\"limit\":0,\"usage\":100,\"failcnt\":0},"
		 "\"kernelTCP\":{\"limit\":0,\"max\":9,\"failcnt\":0},\"raw\":{\"cache\":11,"
		 "\"rss\":22,\"total_cache\":11}},\"pids\":{\"current\":3,\"limit\":64},"
		 "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\","
		 "\"value\":4096},{\"major\":8,\"op\":\"Write\"},{\"major\":8,\"op\":\"Total\","
		 "\"value\":4096}]},\"hugetlb\":{%s},\"intel_rdt\":{},\"network_interfaces\":null}",
		 huge2m ? "\"2MB\":{\"usage\":7,\"max\":8,\"failcnt\":0}" : "");
	got = render(&st);
	ck_assert_msg(strcmp(got, want) == 0, "\n got: %s\nwant: %s", got, want);
	free(got);
	cgroup_stats_free(&st);
}
END_TEST

/* Without the memory controller and io.stat: runc's zeroed memory entries
 * and an empty blkio object. */
START_TEST(v2_bare)
{
	struct cgroup_stats st;
	struct berth_error err = {0};
	char *got;

	put("cpu.stat", "usage_usec 7\n");
	ck_assert_int_eq(cg_stats_v2(dir, &st, &err), 0);
	ck_assert(!st.memory.present && !st.io_service_bytes.present);
	got = render(&st);
	ck_assert_str_eq(
	    got, "{\"cpu\":{\"usage\":{\"total\":7000,\"kernel\":0,\"user\":0},\"throttling\":{}},"
		 "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,"
		 "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
		 "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":0},"
		 "\"memory\":{\"usage\":{\"limit\":0,\"failcnt\":0},\"swap\":{\"limit\":0,"
		 "\"failcnt\":0},\"kernel\":{\"limit\":0,\"failcnt\":0},"
		 "\"kernelTCP\":{\"limit\":0,\"failcnt\":0}},\"pids\":{},\"blkio\":{},"
		 "\"hugetlb\":{},\"intel_rdt\":{},\"network_interfaces\":null}");
	free(got);
	cgroup_stats_free(&st);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cgroup_stats");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, v2_full);
	tcase_add_test(tc, v2_bare);
	tcase_add_test(tc, v1_full);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
