/* test_cgroup_convert.c - the cgroup module's pure pieces: v1->v2 value
 * conversions, path resolution, /proc/self/cgroup parsing, device rule
 * formatting and the shape of the device eBPF program. No cgroup is touched. */
#include <check.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup_internal.h"
#include "unit_run.h"

START_TEST(shares_to_weight)
{
	ck_assert_uint_eq(cg_shares_to_weight(0), 0);
	ck_assert_uint_eq(cg_shares_to_weight(2), 1);
	ck_assert_uint_eq(cg_shares_to_weight(262144), 10000);
	/* the default 1024 shares is weight 39, as runc/crun compute it */
	ck_assert_uint_eq(cg_shares_to_weight(1024), 39);
	ck_assert_uint_eq(cg_shares_to_weight(512), 1 + (510 * 9999) / 262142);
	/* out of range values are clamped, never wrap */
	ck_assert_uint_eq(cg_shares_to_weight(1), 1);
	ck_assert_uint_eq(cg_shares_to_weight(1000000), 10000);
}
END_TEST

START_TEST(blkio_weight)
{
	ck_assert_uint_eq(cg_blkio_weight_to_io_weight(0), 0);
	ck_assert_uint_eq(cg_blkio_weight_to_io_weight(10), 1);
	ck_assert_uint_eq(cg_blkio_weight_to_io_weight(1000), 10000);
	ck_assert_uint_eq(cg_blkio_weight_to_io_weight(500), 1 + (490 * 9999) / 990);
}
END_TEST

START_TEST(swap_conversion)
{
	char buf[64];
	struct berth_error err;

	ck_assert_int_eq(cg_swap_to_v2(false, 0, true, 100, buf, sizeof(buf), &err), 1);
	ck_assert_int_eq(cg_swap_to_v2(true, -1, true, 100, buf, sizeof(buf), &err), 0);
	ck_assert_str_eq(buf, "max");
	ck_assert_int_eq(cg_swap_to_v2(true, 300, true, 100, buf, sizeof(buf), &err), 0);
	ck_assert_str_eq(buf, "200");
	ck_assert_int_eq(cg_swap_to_v2(true, 100, true, 100, buf, sizeof(buf), &err), 0);
	ck_assert_str_eq(buf, "0");
	ck_assert_int_eq(cg_swap_to_v2(true, 50, true, 100, buf, sizeof(buf), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "linux.resources.memory.swap"));
	ck_assert_int_eq(cg_swap_to_v2(true, 50, false, 0, buf, sizeof(buf), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "without a memory limit"));
}
END_TEST

START_TEST(cpu_max)
{
	char buf[64];

	ck_assert_int_eq(cg_cpu_max(false, 0, false, 0, buf, sizeof(buf)), 1);
	ck_assert_int_eq(cg_cpu_max(true, 50000, true, 100000, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "50000 100000");
	ck_assert_int_eq(cg_cpu_max(true, -1, true, 100000, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "max 100000");
	ck_assert_int_eq(cg_cpu_max(true, 20000, false, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "20000");
	ck_assert_int_eq(cg_cpu_max(false, 0, true, 250000, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "max 250000");
	cg_limit_v2(-1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "max");
	cg_limit_v2(262144, buf, sizeof(buf));
	ck_assert_str_eq(buf, "262144");
}
END_TEST

START_TEST(path_clean)
{
	const struct {
		const char *in, *out;
	} cases[] = {
	    {"/a/b", "/a/b"},  {"a/b", "/a/b"},	   {"//a//b/", "/a/b"}, {"/a/./b", "/a/b"},
	    {"/a/../b", "/b"}, {"/../../x", "/x"}, {"/", "/"},		{"", "/"},
	    {"../..", "/"},    {"/a/b/..", "/a"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = cg_path_clean(cases[i].in);

		ck_assert_msg(!strcmp(got, cases[i].out), "clean(%s) = %s, want %s", cases[i].in,
			      got, cases[i].out);
		free(got);
	}
}
END_TEST

START_TEST(path_resolve)
{
	char *p;

	/* absolute: relative to the hierarchy root, whatever our own cgroup is */
	p = cg_path_resolve("/user.slice/s1", "/machine/abc", "id1");
	ck_assert_str_eq(p, "/machine/abc");
	free(p);
	/* relative: below our own cgroup */
	p = cg_path_resolve("/user.slice/s1", "abc/def", "id1");
	ck_assert_str_eq(p, "/user.slice/s1/abc/def");
	free(p);
	/* empty: the ID below our own cgroup (runc's default shape) */
	p = cg_path_resolve("/user.slice/s1", "", "id1");
	ck_assert_str_eq(p, "/user.slice/s1/id1");
	free(p);
	p = cg_path_resolve("/", NULL, "id1");
	ck_assert_str_eq(p, "/id1");
	free(p);
	/* no escaping above the root with .. */
	p = cg_path_resolve("/a", "../../../../etc", "id1");
	ck_assert_str_eq(p, "/etc");
	free(p);
}
END_TEST

START_TEST(own_cgroup)
{
	const char *text =
	    "9:name=systemd:/\n8:pids:/p\n2:cpu,cpuacct:/c\n4:memory:/m/x\n0::/u/v\n";
	char *p;

	p = cg_own_cgroup(text, "memory");
	ck_assert_str_eq(p, "/m/x");
	free(p);
	p = cg_own_cgroup(text, "cpuacct");
	ck_assert_str_eq(p, "/c");
	free(p);
	p = cg_own_cgroup(text, "");
	ck_assert_str_eq(p, "/u/v");
	free(p);
	ck_assert_ptr_null(cg_own_cgroup(text, "rdma"));
	ck_assert(cg_list_has("cpu,cpuacct", "cpuacct"));
	ck_assert(!cg_list_has("cpu,cpuacct", "cpuac"));
}
END_TEST

START_TEST(systemd_path)
{
	struct berth_error err;

	ck_assert_int_eq(cg_systemd_path_check("system.slice:berth:abc", &err), 0);
	ck_assert_int_eq(cg_systemd_path_check("::abc", &err), 0);
	ck_assert_int_eq(cg_systemd_path_check("/a/b", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "slice:prefix:name"));
	ck_assert_int_eq(cg_systemd_path_check("a/b:c:d", &err), -1);
}
END_TEST

START_TEST(device_rule_v1)
{
	char buf[96];
	struct berth_device_cgroup d = {.allow = true,
					.type = 'c',
					.has_major = true,
					.major = 1,
					.has_minor = true,
					.minor = 3,
					.access = "rw"};

	cg_device_rule_v1(&d, buf, sizeof(buf));
	ck_assert_str_eq(buf, "c 1:3 rw");
	d.has_minor = false;
	d.access = NULL;
	cg_device_rule_v1(&d, buf, sizeof(buf));
	ck_assert_str_eq(buf, "c 1:* rwm");
	d.type = 'a';
	cg_device_rule_v1(&d, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a");
	ck_assert_int_eq(cg_access_bits("rwm"),
			 BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD);
	ck_assert_int_eq(cg_access_bits("r"), BPF_DEVCG_ACC_READ);
	ck_assert_int_eq(cg_access_bits("rx"), -1);
}
END_TEST

START_TEST(bpf_program_shape)
{
	struct berth_device_cgroup rules[] = {
	    {.allow = false, .type = 'a'},
	    {.allow = true,
	     .type = 'c',
	     .has_major = true,
	     .major = 1,
	     .has_minor = true,
	     .minor = 3,
	     .access = "rwm"},
	    {.allow = false,
	     .type = 'c',
	     .has_major = true,
	     .major = 1,
	     .has_minor = true,
	     .minor = 3,
	     .access = "w"},
	};
	struct bpf_insn *p;
	size_t n;
	struct berth_error err;

	/* the deny-all rule is the last one tested and ends the program */
	ck_assert_int_eq(cg_bpf_devices_build(rules, 3, &p, &n, &err), 0);
	ck_assert_uint_eq(p[n - 1].code, BPF_JMP | BPF_EXIT);
	ck_assert_uint_eq(p[n - 2].code, BPF_ALU64 | BPF_MOV | BPF_K);
	ck_assert_int_eq(p[n - 2].imm, 0);
	/* every jump lands inside the program */
	for (size_t i = 0; i < n; i++) {
		if (BPF_CLASS(p[i].code) == BPF_JMP && BPF_OP(p[i].code) != BPF_EXIT)
			ck_assert_int_lt((long)i + 1 + p[i].off, (long)n);
	}
	free(p);
	/* without an "a" rule the program ends with the default deny */
	ck_assert_int_eq(cg_bpf_devices_build(rules + 1, 2, &p, &n, &err), 0);
	ck_assert_int_eq(p[n - 2].imm, 0);
	free(p);
	rules[1].type = 'x';
	ck_assert_int_eq(cg_bpf_devices_build(rules, 3, &p, &n, &err), -1);
}
END_TEST

/* unified keys on a v1/hybrid host: allowed only for controllers the
 * cgroup2 mount lists (a temp dir stands in for it), refused in runc's words */
START_TEST(unified_on_hybrid)
{
	char dir[] = "/tmp/berth-unified-XXXXXX";
	char path[64];
	struct berth_kv keys[] = {{.key = "hugetlb.2MB.max", .value = "max"},
				  {.key = "cgroup.max.depth", .value = "3"},
				  {.key = "memory.high", .value = "1"}};
	struct berth_resources r = {.present = true, .unified = keys, .n_unified = 2};
	struct berth_error err = {0};
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("pids hugetlb\n", f);
	fclose(f);
	ck_assert_int_eq(cg_unified_check(dir, &r, &err), 0);
	r.n_unified = 3;
	ck_assert_int_eq(cg_unified_check(dir, &r, &err), -1);
	ck_assert_ptr_nonnull(
	    strstr(err.msg, "invalid configuration: cannot use unified on cgroup v1"));
	ck_assert_ptr_nonnull(strstr(err.msg, "memory.high"));
	ck_assert_int_eq(cg_unified_check(NULL, &r, &err), -1);
	ck_assert_ptr_nonnull(
	    strstr(err.msg, "invalid configuration: cannot use unified on cgroup v1"));
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup_convert");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, shares_to_weight);
	tcase_add_test(tc, blkio_weight);
	tcase_add_test(tc, swap_conversion);
	tcase_add_test(tc, cpu_max);
	tcase_add_test(tc, path_clean);
	tcase_add_test(tc, path_resolve);
	tcase_add_test(tc, own_cgroup);
	tcase_add_test(tc, systemd_path);
	tcase_add_test(tc, device_rule_v1);
	tcase_add_test(tc, bpf_program_shape);
	tcase_add_test(tc, unified_on_hybrid);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
