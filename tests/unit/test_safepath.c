/* test_safepath.c - hostile layouts resolved inside a root, by openat2 and
 * by the fallback walk alike; and procfs reads/writes that refuse to be
 * redirected by a mount. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/rootfs/procfs.h"
#include "libcontainer/rootfs/safepath.h"
#include "unit_run.h"

static char root[] = "/tmp/berth-safepath-XXXXXX";
static char host_target[64]; /* an absolute path that must never be created */
static int rootfd = -1;

static void xsystem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void xsystem(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(host_target, sizeof(host_target), "/tmp/berth-host-%d", (int)getpid());
	xsystem("cd %s && mkdir -p etc a/b dev && echo inside > etc/passwd && "
		"ln -s /etc link_abs && ln -s ../../../../.. dotdot && ln -s loop loop && "
		"ln -s / proc && ln -s %s escape && ln -s /etc/passwd file_link && "
		"ln -s /nonexistent/dir dangling && ln -s ../../../etc a/b/up",
		root, host_target);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(rootfd, 0);
}

static void teardown(void)
{
	close(rootfd);
	xsystem("rm -rf %s", root);
	ck_assert_int_ne(access(host_target, F_OK), 0);
	strcpy(root, "/tmp/berth-safepath-XXXXXX");
}

static void setup_openat2(void)
{
	safepath_force_fallback(false);
	setup();
}

static void setup_fallback(void)
{
	safepath_force_fallback(true);
	setup();
}

/* The fd names root/etc/passwd (same inode). */
static void assert_inside_passwd(int fd)
{
	struct stat a, b;
	char p[512];

	ck_assert_msg(fd >= 0, "open failed");
	snprintf(p, sizeof(p), "%s/etc/passwd", root);
	ck_assert_int_eq(fstat(fd, &a), 0);
	ck_assert_int_eq(stat(p, &b), 0);
	ck_assert_uint_eq(a.st_ino, b.st_ino);
	ck_assert_uint_eq(a.st_dev, b.st_dev);
}

START_TEST(test_absolute_symlink_stays_inside)
{
	struct berth_error err;
	int fd = safepath_open(rootfd, "/link_abs/passwd", O_RDONLY, &err);
	char buf[16] = {0};

	assert_inside_passwd(fd);
	ck_assert_int_gt(read(fd, buf, sizeof(buf) - 1), 0);
	ck_assert_str_eq(buf, "inside\n");
	close(fd);
	fd = safepath_open(rootfd, "file_link", O_RDONLY, &err);
	assert_inside_passwd(fd);
	close(fd);
}
END_TEST

START_TEST(test_dotdot_clamped)
{
	struct berth_error err;
	int fd;

	fd = safepath_open(rootfd, "/../../../../etc/passwd", O_PATH, &err);
	assert_inside_passwd(fd);
	close(fd);
	fd = safepath_open(rootfd, "dotdot/etc/passwd", O_PATH, &err);
	assert_inside_passwd(fd);
	close(fd);
	fd = safepath_open(rootfd, "/a/b/up/passwd", O_PATH, &err);
	assert_inside_passwd(fd);
	close(fd);
	fd = safepath_open(rootfd, "/proc/etc/passwd", O_PATH, &err);
	assert_inside_passwd(fd);
	close(fd);
}
END_TEST

START_TEST(test_loop_fails)
{
	struct berth_error err;

	ck_assert_int_eq(safepath_open(rootfd, "/loop/x", O_PATH, &err), -1);
	ck_assert_int_eq(err.errnum, ELOOP);
}
END_TEST

START_TEST(test_nofollow_last)
{
	struct berth_error err;
	struct stat st;
	int fd = safepath_open(rootfd, "/link_abs", O_PATH | O_NOFOLLOW, &err);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	close(fd);
}
END_TEST

START_TEST(test_mkdir_p_through_escape_symlink)
{
	struct berth_error err;
	char p[512];
	struct stat st;
	int fd = safepath_mkdir_p(rootfd, "/escape/x/y", 0755, false, &err);

	ck_assert_msg(fd >= 0, "%s", err.msg);
	close(fd);
	/* created inside the root, where the symlink points when read as root-relative */
	snprintf(p, sizeof(p), "%s%s/x/y", root, host_target);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_ne(access(host_target, F_OK), 0);
}
END_TEST

START_TEST(test_mkdir_p_dangling_and_file)
{
	struct berth_error err;
	char p[512];
	struct stat st;
	int fd = safepath_mkdir_p(rootfd, "/dangling/f", 0755, true, &err);

	ck_assert_msg(fd >= 0, "%s", err.msg);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	close(fd);
	snprintf(p, sizeof(p), "%s/nonexistent/dir/f", root);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_ne(access("/nonexistent", F_OK), 0);
	/* existing path: returned as is */
	fd = safepath_mkdir_p(rootfd, "/a/b", 0755, false, &err);
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

START_TEST(test_open_parent)
{
	struct berth_error err;
	char name[256];
	int fd = safepath_open_parent(rootfd, "/link_abs/newdev/", false, name, &err);
	struct stat a, b;
	char p[512];

	ck_assert_int_ge(fd, 0);
	ck_assert_str_eq(name, "newdev");
	snprintf(p, sizeof(p), "%s/etc", root);
	ck_assert_int_eq(fstat(fd, &a), 0);
	ck_assert_int_eq(stat(p, &b), 0);
	ck_assert_uint_eq(a.st_ino, b.st_ino);
	close(fd);
	ck_assert_int_eq(safepath_open_parent(rootfd, "/a/..", false, name, &err), -1);
	fd = safepath_open_parent(rootfd, "/new/dir/leaf", true, name, &err);
	ck_assert_int_ge(fd, 0);
	ck_assert_str_eq(name, "leaf");
	close(fd);
}
END_TEST

START_TEST(test_write_through_symlink_stays_inside)
{
	struct berth_error err;
	int fd = safepath_open(rootfd, "/link_abs/passwd", O_WRONLY | O_TRUNC, &err);

	assert_inside_passwd(fd);
	ck_assert_int_eq(write(fd, "x\n", 2), 2);
	close(fd);
}
END_TEST

/* ---- procfs ---- */

static void setup_procfs(void)
{
	safepath_force_fallback(false);
}

START_TEST(test_procfs_read_self)
{
	struct berth_error err;
	char buf[4096];
	char want[64];

	ck_assert_int_gt(procfs_read(-1, "self/status", buf, sizeof(buf), &err), 0);
	snprintf(want, sizeof(want), "\nPid:\t%d\n", (int)getpid());
	ck_assert_ptr_nonnull(strstr(buf, want));
	ck_assert_int_gt(procfs_read(-1, "thread-self/stat", buf, sizeof(buf), &err), 0);
	ck_assert_int_gt(procfs_read(-1, "sys/kernel/ostype", buf, sizeof(buf), &err), 0);
	ck_assert_str_eq(buf, "Linux\n");
}
END_TEST

START_TEST(test_procfs_write_self)
{
	struct berth_error err;
	char buf[64];
	int procfd = procfs_open(&err);

	ck_assert_int_ge(procfd, 0);
	ck_assert_int_eq(procfs_write(procfd, "self/comm", "berth-test", &err), 0);
	ck_assert_int_gt(procfs_read(procfd, "self/comm", buf, sizeof(buf), &err), 0);
	ck_assert_str_eq(buf, "berth-test\n");
	/* no symlinks below /proc: "mounts" is a symlink to self/mounts */
	ck_assert_int_eq(procfs_read(procfd, "mounts", buf, sizeof(buf), &err), -1);
	close(procfd);
}
END_TEST

/* Run fn in a child with a private mount namespace; the child's exit code is
 * the result. */
static int in_private_ns(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(99);
		_exit(fn());
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* CVE-2019-16884 class: a mount over a /proc file redirects a write. */
static int redirect_write(void)
{
	struct berth_error err;
	char path[64], tmp[] = "/tmp/berth-redirect-XXXXXX";
	char buf[64] = {0};
	int fd = mkstemp(tmp), rc = 0;

	if (fd < 0)
		return 98;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)getpid());
	if (mount(tmp, path, NULL, MS_BIND, NULL) < 0) {
		rc = 97;
		goto out;
	}
	if (procfs_write(-1, "self/comm", "pwned", &err) == 0)
		rc = 1;
	else if (err.errnum != EXDEV)
		rc = 2;
	if (read(fd, buf, sizeof(buf) - 1) != 0)
		rc = 3;
	umount2(path, MNT_DETACH);
out:
	close(fd);
	unlink(tmp);
	return rc;
}

static int fake_proc(void)
{
	struct berth_error err;

	if (mount("tmpfs", "/proc", "tmpfs", 0, NULL) < 0)
		return 97;
	if (procfs_open(&err) >= 0)
		return 1;
	return strstr(err.msg, "not on procfs") ? 0 : 2;
}

static int proc_subdir_over_proc(void)
{
	struct berth_error err;

	if (mount("/proc/1", "/proc", NULL, MS_BIND, NULL) < 0)
		return 97;
	if (procfs_open(&err) >= 0)
		return 1;
	return strstr(err.msg, "not the root") ? 0 : 2;
}

START_TEST(test_procfs_refuses_mount_redirect)
{
	ck_assert_int_eq(in_private_ns(redirect_write), 0);
}
END_TEST

START_TEST(test_procfs_refuses_fake_proc)
{
	ck_assert_int_eq(in_private_ns(fake_proc), 0);
	ck_assert_int_eq(in_private_ns(proc_subdir_over_proc), 0);
}
END_TEST

START_TEST(test_procfs_redirect_fallback)
{
	safepath_force_fallback(true);
	ck_assert_int_eq(in_private_ns(redirect_write), 0);
	safepath_force_fallback(false);
}
END_TEST

static void add_path_tests(TCase *tc)
{
	tcase_add_test(tc, test_absolute_symlink_stays_inside);
	tcase_add_test(tc, test_dotdot_clamped);
	tcase_add_test(tc, test_loop_fails);
	tcase_add_test(tc, test_nofollow_last);
	tcase_add_test(tc, test_mkdir_p_through_escape_symlink);
	tcase_add_test(tc, test_mkdir_p_dangling_and_file);
	tcase_add_test(tc, test_open_parent);
	tcase_add_test(tc, test_write_through_symlink_stays_inside);
}

int main(void)
{
	Suite *s = suite_create("safepath");
	TCase *tc2 = tcase_create("openat2");
	TCase *tcf = tcase_create("fallback");
	TCase *tcp = tcase_create("procfs");

	tcase_add_checked_fixture(tc2, setup_openat2, teardown);
	add_path_tests(tc2);
	tcase_add_checked_fixture(tcf, setup_fallback, teardown);
	add_path_tests(tcf);
	tcase_add_checked_fixture(tcp, setup_procfs, NULL);
	tcase_add_test(tcp, test_procfs_read_self);
	tcase_add_test(tcp, test_procfs_write_self);
	tcase_add_test(tcp, test_procfs_refuses_mount_redirect);
	tcase_add_test(tcp, test_procfs_refuses_fake_proc);
	tcase_add_test(tcp, test_procfs_redirect_fallback);
	suite_add_tcase(s, tc2);
	suite_add_tcase(s, tcf);
	suite_add_tcase(s, tcp);
	return unit_run(s);
}
