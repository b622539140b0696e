/* test_hooks.c - libcontainer/process/hooks.c with real hooks: /bin/sh scripts that
 * record what they were given into a temp dir. */
#include <check.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/process/hooks.h"
#include "unit_run.h"

static char tmpdir[] = "/tmp/berth-test-hooks-XXXXXX";

static void setup(void)
{
	strcpy(tmpdir, "/tmp/berth-test-hooks-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A hook running `/bin/sh -c script` with env; the strings are the test's. */
static struct berth_hook sh_hook(const char *script, char **env, size_t n_env)
{
	static char *argv_pool[16][3];
	static int next;
	char **argv = argv_pool[next++ % 16];

	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = (char *)script;
	return (struct berth_hook){
	    .path = "/bin/sh", .args = argv, .n_args = 3, .env = env, .n_env = n_env};
}

static char *read_file(const char *name)
{
	char path[512];
	static char buf[1 << 20];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *script(const char *fmt)
{
	/* every script runs with its cwd-independent temp dir spelled out */
	static char buf[8][1024];
	static int next;
	char *b = buf[next++ % 8];

	snprintf(b, 1024, fmt, tmpdir, tmpdir, tmpdir);
	return b;
}

START_TEST(empty_list_is_success)
{
	struct berth_hook_list l = {0};
	struct berth_error err = {0};

	ck_assert_int_eq(hooks_run(&l, "prestart", "{}", &err), 0);
	ck_assert_int_eq(hooks_run(NULL, "prestart", "{}", &err), 0);
}
END_TEST

START_TEST(state_on_stdin_args_and_env_exact)
{
	char *env[] = {"FOO=bar", "PATH=/usr/bin:/bin"};
	struct berth_hook h =
	    sh_hook(script("cat > %s/stdin; env > %s/env; echo \"$0\" > %s/argv0"), env, 2);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};
	const char *state = "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\"}";
	char *s;

	setenv("BERTH_TEST_LEAK", "1", 1);
	ck_assert_msg(hooks_run(&l, "createRuntime", state, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(read_file("stdin"), state);
	s = read_file("env");
	ck_assert_ptr_nonnull(strstr(s, "FOO=bar\n"));
	/* berth's own environment must not reach the hook */
	ck_assert_ptr_null(strstr(s, "BERTH_TEST_LEAK"));
	/* args[0] is argv[0], as for execv */
	ck_assert_str_eq(read_file("argv0"), "sh\n");
}
END_TEST

START_TEST(hooks_run_in_order)
{
	struct berth_hook h[3] = {
	    sh_hook(script("echo one >> %s/order"), NULL, 0),
	    sh_hook(script("echo two >> %s/order"), NULL, 0),
	    sh_hook(script("echo three >> %s/order"), NULL, 0),
	};
	struct berth_hook_list l = {h, 3};
	struct berth_error err = {0};

	ck_assert_msg(hooks_run(&l, "poststart", "{}", &err) == 0, "%s", err.msg);
	ck_assert_str_eq(read_file("order"), "one\ntwo\nthree\n");
}
END_TEST

START_TEST(failure_names_kind_path_status_and_stderr)
{
	struct berth_hook h[2] = {
	    sh_hook("echo some noise; echo 'network not ready' >&2; exit 3", NULL, 0),
	    sh_hook(script("touch %s/second-ran"), NULL, 0),
	};
	struct berth_hook_list l = {h, 2};
	struct berth_error err = {0};

	ck_assert_int_eq(hooks_run(&l, "createRuntime", "{}", &err), -1);
	ck_assert_str_eq(err.msg,
			 "createRuntime hook /bin/sh: exited with status 3: network not ready");
	/* the first failure stops the list */
	ck_assert_ptr_null(read_file("second-ran"));
}
END_TEST

START_TEST(long_stderr_keeps_the_end)
{
	struct berth_hook h =
	    sh_hook("i=0; while [ $i -lt 2000 ]; do echo \"line $i\" >&2; i=$((i+1)); done; exit 1",
		    NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};

	ck_assert_int_eq(hooks_run(&l, "prestart", "{}", &err), -1);
	ck_assert_msg(strstr(err.msg, "line 1999") != NULL, "%s", err.msg);
	ck_assert_ptr_null(strstr(err.msg, "line 0 "));
	ck_assert_ptr_null(strchr(err.msg, '\n'));
}
END_TEST

START_TEST(timeout_kills_the_hook)
{
	struct berth_hook h = sh_hook(script("echo $$ > %s/pid; exec sleep 30"), NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};
	struct timespec a, b;
	char proc[64];
	int pid;

	h.has_timeout = true;
	h.timeout = 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	ck_assert_int_eq(hooks_run(&l, "createContainer", "{}", &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ck_assert_str_eq(err.msg, "createContainer hook /bin/sh: timed out after 1 s");
	ck_assert_int_lt(b.tv_sec - a.tv_sec, 3);
	/* the hook is gone (killed and reaped), not left sleeping */
	pid = atoi(read_file("pid"));
	ck_assert_int_gt(pid, 0);
	snprintf(proc, sizeof(proc), "/proc/%d", pid);
	ck_assert_int_ne(access(proc, F_OK), 0);
}
END_TEST

/* Dead: gone from /proc, or a zombie waiting for its reaper (an orphan
 * is reaped by init, which may take a moment). Waits up to 2 s. */
static bool process_dead(int pid)
{
	char path[64], stat[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 100; i++) {
		FILE *f = fopen(path, "r");
		bool zombie;

		if (!f)
			return true;
		zombie = fgets(stat, sizeof(stat), f) && strstr(stat, ") Z ");
		fclose(f);
		if (zombie)
			return true;
		usleep(20000);
	}
	return false;
}

START_TEST(timeout_kills_what_the_hook_started)
{
	struct berth_hook h = sh_hook(script("sleep 30 & echo $! > %s/bgpid; wait"), NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};
	int pid;

	h.has_timeout = true;
	h.timeout = 1;
	ck_assert_int_eq(hooks_run(&l, "createRuntime", "{}", &err), -1);
	pid = atoi(read_file("bgpid"));
	ck_assert_int_gt(pid, 0);
	ck_assert_msg(process_dead(pid), "the hook's background sleep %d survived", pid);
}
END_TEST

START_TEST(hook_within_timeout_succeeds)
{
	struct berth_hook h = sh_hook("exit 0", NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};

	h.has_timeout = true;
	h.timeout = 5;
	ck_assert_msg(hooks_run(&l, "poststop", "{}", &err) == 0, "%s", err.msg);
}
END_TEST

START_TEST(missing_program_is_an_exec_error)
{
	struct berth_hook h = {.path = "/nonexistent/hook"};
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};

	ck_assert_int_eq(hooks_run(&l, "prestart", "{}", &err), -1);
	ck_assert_str_eq(err.msg,
			 "prestart hook /nonexistent/hook: exec: no such file or directory");
}
END_TEST

START_TEST(killed_by_signal)
{
	struct berth_hook h = sh_hook("kill -TERM $$", NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};

	ck_assert_int_eq(hooks_run(&l, "startContainer", "{}", &err), -1);
	ck_assert_msg(strstr(err.msg, "startContainer hook /bin/sh: killed by signal 15") != NULL,
		      "%s", err.msg);
}
END_TEST

START_TEST(hook_ignoring_large_stdin_is_fine)
{
	/* 1 MiB of state, far more than a pipe buffer, to a hook that never
	 * reads it: berth must neither block nor die of SIGPIPE. */
	size_t n = 1 << 20;
	char *state = malloc(n + 1);
	struct berth_hook h = sh_hook("exit 0", NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};
	sigset_t pending;

	memset(state, 'x', n);
	state[n] = '\0';
	ck_assert_msg(hooks_run(&l, "poststop", state, &err) == 0, "%s", err.msg);
	sigpending(&pending);
	ck_assert(!sigismember(&pending, SIGPIPE));
	free(state);
}
END_TEST

START_TEST(large_stdin_is_delivered_whole)
{
	size_t n = 300000;
	char *state = malloc(n + 1);
	struct berth_hook h = sh_hook(script("cat > %s/stdin"), NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};

	for (size_t i = 0; i < n; i++)
		state[i] = (char)('a' + i % 26);
	state[n] = '\0';
	ck_assert_msg(hooks_run(&l, "prestart", state, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(read_file("stdin"), state);
	free(state);
}
END_TEST

START_TEST(no_fd_leaks_into_the_hook)
{
	/* deliberately without O_CLOEXEC, at a number no shell uses itself */
	int null_fd = open("/dev/null", O_RDONLY);
	int fd = dup2(null_fd, 42);
	char script_buf[512], want[32];
	struct berth_hook h;
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};

	ck_assert_int_eq(fd, 42);
	close(null_fd);
	snprintf(script_buf, sizeof(script_buf), "ls /proc/$$/fd > %s/fds", tmpdir);
	h = sh_hook(script_buf, NULL, 0);
	ck_assert_msg(hooks_run(&l, "prestart", "{}", &err) == 0, "%s", err.msg);
	snprintf(want, sizeof(want), "\n%d\n", fd);
	ck_assert_ptr_null(strstr(read_file("fds"), want));
	close(fd);
}
END_TEST

START_TEST(caller_ignoring_sigchld_still_sees_the_status)
{
	struct sigaction ign = {.sa_handler = SIG_IGN}, old, now;
	struct berth_hook h = sh_hook("exit 4", NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};
	int rc;

	ck_assert_int_eq(sigaction(SIGCHLD, &ign, &old), 0);
	rc = hooks_run(&l, "poststop", "{}", &err);
	sigaction(SIGCHLD, NULL, &now);
	sigaction(SIGCHLD, &old, NULL);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err.msg, "poststop hook /bin/sh: exited with status 4");
	/* and the caller's disposition is back */
	ck_assert_ptr_eq(now.sa_handler, SIG_IGN);
}
END_TEST

START_TEST(hook_gets_default_signal_state)
{
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigset_t block, old_mask;
	struct berth_hook h =
	    sh_hook(script("exec grep -E '^Sig(Blk|Ign)' /proc/self/status > %s/sig"), NULL, 0);
	struct berth_hook_list l = {&h, 1};
	struct berth_error err = {0};
	int rc;

	/* what a container init might have set up before running hooks */
	sigaction(SIGTERM, &ign, &old);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	rc = hooks_run(&l, "createContainer", "{}", &err);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGTERM, &old, NULL);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_str_eq(read_file("sig"),
			 "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}
END_TEST

static Suite *hooks_suite(void)
{
	Suite *s = suite_create("hooks");
	TCase *tc = tcase_create("run");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, empty_list_is_success);
	tcase_add_test(tc, state_on_stdin_args_and_env_exact);
	tcase_add_test(tc, hooks_run_in_order);
	tcase_add_test(tc, failure_names_kind_path_status_and_stderr);
	tcase_add_test(tc, long_stderr_keeps_the_end);
	tcase_add_test(tc, timeout_kills_the_hook);
	tcase_add_test(tc, timeout_kills_what_the_hook_started);
	tcase_add_test(tc, hook_within_timeout_succeeds);
	tcase_add_test(tc, missing_program_is_an_exec_error);
	tcase_add_test(tc, killed_by_signal);
	tcase_add_test(tc, hook_ignoring_large_stdin_is_fine);
	tcase_add_test(tc, large_stdin_is_delivered_whole);
	tcase_add_test(tc, no_fd_leaks_into_the_hook);
	tcase_add_test(tc, caller_ignoring_sigchld_still_sees_the_status);
	tcase_add_test(tc, hook_gets_default_signal_state);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(hooks_suite());
}
