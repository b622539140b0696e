/* test_cgroup_systemd.c - the systemd driver's pure pieces: cgroupsPath
 * "slice:prefix:name" parsing, slice expansion, and the unit properties
 * made from linux.resources, device rules and annotations. No bus, no
 * cgroup is touched. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/cgroups/cgroup_internal.h"
#include "unit_run.h"

static char *expand(const char *slice)
{
	struct berth_error err;
	char *out = NULL;

	if (cg_sd_expand_slice(slice, &out, &err) < 0)
		return NULL;
	return out;
}

START_TEST(slice_expansion)
{
	char *s;

	s = expand("system.slice");
	ck_assert_str_eq(s, "/system.slice");
	free(s);
	s = expand("a-b.slice");
	ck_assert_str_eq(s, "/a.slice/a-b.slice");
	free(s);
	s = expand("a-b-c.slice");
	ck_assert_str_eq(s, "/a.slice/a-b.slice/a-b-c.slice");
	free(s);
	s = expand("-.slice");
	ck_assert_str_eq(s, "/");
	free(s);
	ck_assert_ptr_null(expand("a--b.slice"));
	ck_assert_ptr_null(expand("-a.slice"));
	ck_assert_ptr_null(expand("a-.slice"));
	ck_assert_ptr_null(expand("a/b.slice"));
	ck_assert_ptr_null(expand("system"));
	ck_assert_ptr_null(expand(".slice"));
}
END_TEST

START_TEST(path_parse)
{
	struct berth_error err;
	struct cg_sd_path p;

	ck_assert_int_eq(cg_sd_path_parse("system.slice:libpod:abc", "id", false, &p, &err), 0);
	ck_assert_str_eq(p.unit, "libpod-abc.scope");
	ck_assert_str_eq(p.slice, "system.slice");
	ck_assert_str_eq(p.rel, "/system.slice/libpod-abc.scope");
	ck_assert(!p.is_slice);
	cg_sd_path_clear(&p);

	/* empty: ":berth:<id>" in system.slice, user.slice for a user manager */
	ck_assert_int_eq(cg_sd_path_parse(NULL, "c1", false, &p, &err), 0);
	ck_assert_str_eq(p.rel, "/system.slice/berth-c1.scope");
	cg_sd_path_clear(&p);
	ck_assert_int_eq(cg_sd_path_parse("", "c1", true, &p, &err), 0);
	ck_assert_str_eq(p.rel, "/user.slice/berth-c1.scope");
	cg_sd_path_clear(&p);

	/* nested slice, a slice unit, the root slice, no prefix */
	ck_assert_int_eq(cg_sd_path_parse("kubepods-burstable.slice:cri:x", "id", false, &p, &err),
			 0);
	ck_assert_str_eq(p.rel, "/kubepods.slice/kubepods-burstable.slice/cri-x.scope");
	cg_sd_path_clear(&p);
	ck_assert_int_eq(cg_sd_path_parse("a.slice:pfx:a-b.slice", "id", false, &p, &err), 0);
	ck_assert_str_eq(p.unit, "a-b.slice");
	ck_assert_str_eq(p.rel, "/a.slice/a-b.slice");
	ck_assert(p.is_slice);
	cg_sd_path_clear(&p);
	ck_assert_int_eq(cg_sd_path_parse("-:p:n", "id", false, &p, &err), 0);
	ck_assert_str_eq(p.rel, "/p-n.scope");
	cg_sd_path_clear(&p);
	ck_assert_int_eq(cg_sd_path_parse("::n", "id", false, &p, &err), 0);
	ck_assert_str_eq(p.unit, "n.scope");
	cg_sd_path_clear(&p);

	/* malformed: each error names what is wrong */
	ck_assert_int_eq(cg_sd_path_parse("/a/b", "id", false, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "slice:prefix:name"));
	ck_assert_int_eq(cg_sd_path_parse("a:b:c:d", "id", false, &p, &err), -1);
	ck_assert_int_eq(cg_sd_path_parse("system.slice:p:", "id", false, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "name"));
	ck_assert_int_eq(cg_sd_path_parse("sys/tem.slice:p:n", "id", false, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "slice"));
	ck_assert_int_eq(cg_sd_path_parse("system:p:n", "id", false, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, ".slice"));
	ck_assert_int_eq(cg_sd_path_parse("system.slice:p:a/b", "id", false, &p, &err), -1);
	ck_assert_int_eq(cg_systemd_path_check("system.slice:berth:abc", &err), 0);
	ck_assert_int_eq(cg_systemd_path_check("x.slice:a:b:c", &err), -1);
}
END_TEST

static const char *prop(const struct cg_sd_props *p, const char *name, const char *type)
{
	const char *v = NULL;

	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].name, name)) {
			ck_assert_str_eq(p->v[i].type, type);
			v = p->v[i].value; /* the last one counts, as for systemd */
		}
	return v;
}

START_TEST(resource_props)
{
	struct berth_error err;
	struct cg_sd_props p = {0};
	struct berth_resources r = {.present = true};

	r.memory = (struct berth_memory){.present = true,
					 .has_limit = true,
					 .limit = 64 << 20,
					 .has_reservation = true,
					 .reservation = 32 << 20,
					 .has_swap = true,
					 .swap = 96 << 20};
	r.has_pids_limit = true;
	r.pids_limit = 42;
	r.cpu = (struct berth_cpu){.present = true,
				   .has_shares = true,
				   .shares = 1024,
				   .has_quota = true,
				   .quota = 50000,
				   .has_period = true,
				   .period = 100000,
				   .cpus = "0-1,3",
				   .mems = "0"};
	r.block_io = (struct berth_block_io){.present = true, .has_weight = true, .weight = 500};
	/* a cgroup v1 host: the legacy names and raw values, no swap or low */
	ck_assert_int_eq(cg_sd_resource_props_v1(&r, &p, &err), 0);
	ck_assert_str_eq(prop(&p, "MemoryLimit", "t"), "67108864");
	ck_assert_ptr_null(prop(&p, "MemoryMax", "t"));
	ck_assert_ptr_null(prop(&p, "MemoryLow", "t"));
	ck_assert_ptr_null(prop(&p, "MemorySwapMax", "t"));
	ck_assert_str_eq(prop(&p, "TasksMax", "t"), "42");
	ck_assert_str_eq(prop(&p, "CPUShares", "t"), "1024");
	ck_assert_ptr_null(prop(&p, "CPUWeight", "t"));
	ck_assert_str_eq(prop(&p, "CPUQuotaPerSecUSec", "t"), "500000");
	ck_assert_str_eq(prop(&p, "CPUQuotaPeriodUSec", "t"), "100000");
	ck_assert_str_eq(prop(&p, "AllowedCPUs", "ay"), "0b");
	ck_assert_str_eq(prop(&p, "AllowedMemoryNodes", "ay"), "01");
	ck_assert_str_eq(prop(&p, "BlockIOWeight", "t"), "500");
	ck_assert_ptr_null(prop(&p, "IOWeight", "t"));
	cg_sd_props_clear(&p);

	ck_assert_int_eq(cg_sd_resource_props(&r, &p, &err), 0);
	ck_assert_str_eq(prop(&p, "MemoryMax", "t"), "67108864");
	ck_assert_str_eq(prop(&p, "MemoryLow", "t"), "33554432");
	/* OCI swap is memory+swap; MemorySwapMax is swap alone */
	ck_assert_str_eq(prop(&p, "MemorySwapMax", "t"), "33554432");
	ck_assert_str_eq(prop(&p, "TasksMax", "t"), "42");
	/* the published shares conversion: 1024 -> 39 */
	ck_assert_str_eq(prop(&p, "CPUWeight", "t"), "39");
	ck_assert_str_eq(prop(&p, "CPUQuotaPerSecUSec", "t"), "500000");
	ck_assert_str_eq(prop(&p, "CPUQuotaPeriodUSec", "t"), "100000");
	ck_assert_str_eq(prop(&p, "AllowedCPUs", "ay"), "0b");
	ck_assert_str_eq(prop(&p, "AllowedMemoryNodes", "ay"), "01");
	ck_assert_str_eq(prop(&p, "IOWeight", "t"), "4950"); /* 1 + 490 * 9999 / 990 */
	cg_sd_props_clear(&p);

	/* -1 is infinity; an unlimited pids limit too */
	r = (struct berth_resources){.present = true};
	r.memory = (struct berth_memory){.present = true, .has_limit = true, .limit = -1};
	r.has_pids_limit = true;
	r.pids_limit = -1;
	ck_assert_int_eq(cg_sd_resource_props(&r, &p, &err), 0);
	ck_assert_str_eq(prop(&p, "MemoryMax", "t"), "18446744073709551615");
	ck_assert_str_eq(prop(&p, "TasksMax", "t"), "18446744073709551615");
	ck_assert_ptr_null(prop(&p, "CPUWeight", "t"));
	cg_sd_props_clear(&p);

	/* swap without a memory limit is refused, as by the v2 driver */
	r = (struct berth_resources){.present = true};
	r.memory = (struct berth_memory){.present = true, .has_swap = true, .swap = 100};
	ck_assert_int_eq(cg_sd_resource_props(&r, &p, &err), -1);
	cg_sd_props_clear(&p);
}
END_TEST

START_TEST(cpu_quota)
{
	ck_assert_uint_eq(cg_sd_cpu_quota_per_sec(50000, 100000), 500000);
	/* 1.5 ms per 10 ms = 150 ms/s, already whole percent */
	ck_assert_uint_eq(cg_sd_cpu_quota_per_sec(1500, 10000), 150000);
	/* 12345 us per 100 ms is 123450 us/s: up to the next 10 ms */
	ck_assert_uint_eq(cg_sd_cpu_quota_per_sec(12345, 100000), 130000);
	ck_assert_uint_eq(cg_sd_cpu_quota_per_sec(20000, 0), 200000); /* default period */
	ck_assert_uint_eq(cg_sd_cpu_quota_per_sec(-1, 100000), UINT64_MAX);
	ck_assert_uint_eq(cg_sd_cpu_quota_per_sec(0, 100000), UINT64_MAX);
}
END_TEST

START_TEST(cpuset_mask)
{
	struct berth_error err;
	char *hex;

	ck_assert_int_eq(cg_sd_cpuset_mask("0", &hex, &err), 0);
	ck_assert_str_eq(hex, "01");
	free(hex);
	ck_assert_int_eq(cg_sd_cpuset_mask("0-3,8", &hex, &err), 0);
	ck_assert_str_eq(hex, "0f01");
	free(hex);
	ck_assert_int_eq(cg_sd_cpuset_mask("9", &hex, &err), 0);
	ck_assert_str_eq(hex, "0002");
	free(hex);
	ck_assert_int_eq(cg_sd_cpuset_mask("3-1", &hex, &err), -1);
	ck_assert_int_eq(cg_sd_cpuset_mask("a", &hex, &err), -1);
	ck_assert_int_eq(cg_sd_cpuset_mask("1,,2", &hex, &err), -1);
}
END_TEST

static const char proc_devices[] = "Character devices:\n"
				   "  1 mem\n"
				   "  5 /dev/tty\n"
				   "136 pts\n"
				   "\n"
				   "Block devices:\n"
				   "  8 sd\n";

START_TEST(device_props)
{
	struct berth_error err;
	struct cg_sd_props p = {0};
	struct berth_device_cgroup rules[] = {
	    {.allow = false, .type = 'a'},
	    {.allow = true, .type = 'c', .access = "m"},
	    {.allow = true,
	     .type = 'c',
	     .has_major = true,
	     .major = 1,
	     .has_minor = true,
	     .minor = 3},
	    {.allow = true, .type = 'c', .has_major = true, .major = 136, .access = "rw"},
	    {.allow = true,
	     .type = 'b',
	     .has_major = true,
	     .major = 8,
	     .has_minor = true,
	     .minor = 0,
	     .access = "r"},
	};

	ck_assert_int_eq(cg_sd_device_props(rules, 5, proc_devices, &p, &err), 0);
	ck_assert_str_eq(prop(&p, "DevicePolicy", "s"), "strict");
	ck_assert_str_eq(prop(&p, "DeviceAllow", "a(ss)"),
			 "char-* m;/dev/char/1:3 rwm;char-pts rw;/dev/block/8:0 r");
	cg_sd_props_clear(&p);

	/* a deny after allows, or a major /proc/devices doesn't name: left to
	 * berth's own eBPF program, systemd's policy stays auto */
	rules[4].allow = false;
	ck_assert_int_eq(cg_sd_device_props(rules, 5, proc_devices, &p, &err), 0);
	ck_assert_str_eq(prop(&p, "DevicePolicy", "s"), "auto");
	ck_assert_ptr_null(prop(&p, "DeviceAllow", "a(ss)"));
	cg_sd_props_clear(&p);
	rules[3].major = 250;
	ck_assert_int_eq(cg_sd_device_props(rules, 4, proc_devices, &p, &err), 0);
	ck_assert_str_eq(prop(&p, "DevicePolicy", "s"), "auto");
	cg_sd_props_clear(&p);

	/* allow all */
	struct berth_device_cgroup all[] = {{.allow = true, .type = 'a'}};
	ck_assert_int_eq(cg_sd_device_props(all, 1, proc_devices, &p, &err), 0);
	ck_assert_str_eq(prop(&p, "DevicePolicy", "s"), "auto");
	cg_sd_props_clear(&p);
}
END_TEST

START_TEST(annotation_props)
{
	struct berth_error err;
	struct cg_sd_props p = {0};
	struct berth_kv a[] = {
	    {"org.systemd.property.TimeoutStopUSec", "uint64 123456789"},
	    {"org.systemd.property.CollectMode", "'inactive-or-failed'"},
	    {"org.systemd.property.SendSIGHUP", "true"},
	    {"org.systemd.property.RuntimeMaxSec", "5"},
	    {"org.systemd.property.CPUQuotaPeriodUSec", "uint64 50000"},
	    {"com.example.other", "ignored"},
	};

	ck_assert_int_eq(cg_sd_annotation_props(a, 6, &p, &err), 0);
	ck_assert_uint_eq(p.n, 5);
	ck_assert_str_eq(prop(&p, "TimeoutStopUSec", "t"), "123456789");
	ck_assert_str_eq(prop(&p, "CollectMode", "s"), "inactive-or-failed");
	ck_assert_str_eq(prop(&p, "SendSIGHUP", "b"), "true");
	/* "XSec" in seconds becomes systemd's "XUSec" */
	ck_assert_str_eq(prop(&p, "RuntimeMaxUSec", "t"), "5000000");
	ck_assert_str_eq(prop(&p, "CPUQuotaPeriodUSec", "t"), "50000");
	cg_sd_props_clear(&p);

	struct berth_kv bad[] = {{"org.systemd.property.X", "[1, 2]"}};
	ck_assert_int_eq(cg_sd_annotation_props(bad, 1, &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "org.systemd.property.X"));
	struct berth_kv nl[] = {{"org.systemd.property.X", "'a\nb'"}};
	ck_assert_int_eq(cg_sd_annotation_props(nl, 1, &p, &err), -1);
	cg_sd_props_clear(&p);

	/* the helper's text form */
	cg_sd_props_add(&p, "Delegate", "b", "true", &err);
	cg_sd_props_add(&p, "PIDs", "au", "7", &err);
	char *text = cg_sd_props_text(&p);
	ck_assert_str_eq(text, "Delegate\tb\ttrue\nPIDs\tau\t7\n");
	free(text);
	cg_sd_props_clear(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup_systemd");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, slice_expansion);
	tcase_add_test(tc, path_parse);
	tcase_add_test(tc, resource_props);
	tcase_add_test(tc, cpu_quota);
	tcase_add_test(tc, cpuset_mask);
	tcase_add_test(tc, device_props);
	tcase_add_test(tc, annotation_props);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
