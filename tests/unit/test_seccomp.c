/* test_seccomp.c - profiles compiled, then installed in a forked child
 * whose syscalls show the effect: custom errnos, SIGSYS kills, argument
 * conditions with every operator, TSYNC across threads, LOG, NOTIFY
 * answered by tests/helpers/seccomp_listener; the cache (hit, tampered
 * entries rejected, eviction); podman's default profile compiled vs cached. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/config/config.h"
#include "libcontainer/fdpass.h"
#include "libcontainer/seccomp/seccomp_filter.h"
#include "libcontainer/seccomp/seccomp_internal.h"
#include "runtime/seccomp_agent.h"
#include "unit_run.h"

#if defined(__SANITIZE_ADDRESS__)
/* ASan sets and unsets a signal stack around threads and signals; under a
 * deny-by-default filter sigaltstack fails and ASan aborts (and can hang). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "use_sigaltstack=0";
}
#endif

/* Children end with the raw syscall: under a deny-by-default filter, the
 * sanitizers' _exit() path (sigaltstack, mmap) fails and can hang. */
static __attribute__((noreturn)) void child_exit(int code)
{
	for (;;)
		syscall(SYS_exit_group, code);
}

static char tmpdir[] = "/tmp/berth-test-seccomp-XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(tmpdir, "/tmp/berth-test-seccomp-XXXXXX");
}

/* ---- building profiles ---- */

static struct berth_seccomp profile(enum berth_seccomp_action def,
				    struct berth_seccomp_syscall *calls, size_t n)
{
	return (struct berth_seccomp){
	    .present = true, .default_action = def, .syscalls = calls, .n_syscalls = n};
}

static struct seccomp_filter *compile_ok(const struct berth_seccomp *s, const char *cache)
{
	struct seccomp_filter *f = NULL;
	struct berth_error err = {0};
	int r = seccomp_filter_prepare(s, cache, &f, &err);
	ck_assert_msg(r == 0, "prepare: %s", err.msg);
	ck_assert_ptr_nonnull(f);
	return f;
}

static void compile_fails(const struct berth_seccomp *s, const char *want)
{
	struct seccomp_filter *f = NULL;
	struct berth_error err = {0};
	ck_assert_int_eq(seccomp_filter_prepare(s, NULL, &f, &err), -1);
	ck_assert_ptr_null(f);
	ck_assert_msg(strstr(err.msg, want), "error \"%s\" lacks \"%s\"", err.msg, want);
}

/* ---- running a filtered child ---- */

struct outcome {
	int status; /* from waitpid */
	bool got;   /* the child reported back */
	long value; /* fn's return */
	int errnum; /* errno after fn */
};

/* Fork; the child sets no_new_privs, installs f and reports fn(arg) and
 * errno through a pipe. */
static struct outcome run_filtered(const struct seccomp_filter *f, long (*fn)(void *), void *arg)
{
	int p[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		long msg[2] = {-9999, 0};
		struct berth_error err = {0};
		int nfd;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    seccomp_filter_install(f, &nfd, &err) < 0) {
			msg[1] = err.errnum ? err.errnum : errno;
			(void)!write(p[1], msg, sizeof(msg));
			child_exit(3);
		}
		errno = 0;
		msg[0] = fn(arg);
		msg[1] = errno;
		(void)!write(p[1], msg, sizeof(msg));
		child_exit(0);
	}
	close(p[1]);
	struct outcome o = {0};
	long msg[2];
	o.got = read(p[0], msg, sizeof(msg)) == sizeof(msg);
	close(p[0]);
	if (o.got) {
		o.value = msg[0];
		o.errnum = (int)msg[1];
	}
	ck_assert_int_eq(waitpid(pid, &o.status, 0), pid);
	return o;
}

static long do_mkdir(void *arg)
{
	(void)arg;
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/made", tmpdir);
	return mkdir(path, 0700);
}

static long do_personality(void *arg)
{
	return syscall(SYS_personality, *(unsigned long *)arg);
}

/* getpriority(which, who): a harmless syscall with two arguments we choose. */
struct prio_args {
	long which, who;
};

static long do_getpriority(void *arg)
{
	struct prio_args *a = arg;
	return syscall(SYS_getpriority, a->which, a->who);
}

static char *mkdir_names[] = {"mkdir", "mkdirat"};

START_TEST(sha256_vectors)
{
	static const struct {
		const char *in;
		size_t repeat;
		const char *hex;
	} v[] = {
	    {"", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {"abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	    {"a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct seccomp_sha256 c;
		uint8_t d[SECCOMP_SHA256_LEN];
		char hex[65];
		seccomp_sha256_init(&c);
		for (size_t r = 0; r < v[i].repeat; r++)
			seccomp_sha256_update(&c, v[i].in, strlen(v[i].in));
		seccomp_sha256_final(&c, d);
		for (int k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02x", d[k]);
		ck_assert_str_eq(hex, v[i].hex);
	}
}
END_TEST

START_TEST(errno_custom)
{
	struct berth_seccomp_syscall sc = {.names = mkdir_names,
					   .n_names = 2,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .has_errno_ret = true,
					   .errno_ret = ENOMSG};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_filter *f = compile_ok(&s, NULL);
	struct outcome o = run_filtered(f, do_mkdir, NULL);
	ck_assert(o.got);
	ck_assert_int_eq(o.value, -1);
	ck_assert_int_eq(o.errnum, ENOMSG);
	/* Without errnoRet: EPERM, as runc. */
	sc.has_errno_ret = false;
	seccomp_filter_free(f);
	f = compile_ok(&s, NULL);
	o = run_filtered(f, do_mkdir, NULL);
	ck_assert_int_eq(o.errnum, EPERM);
	seccomp_filter_free(f);
	/* The directory was never made. */
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/made", tmpdir);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(default_errno_ret)
{
	/* Allow-list: everything but what the child needs fails with
	 * defaultErrnoRet. */
	static char *allowed[] = {"write", "exit_group", "exit", "getpid"};
	struct berth_seccomp_syscall sc = {
	    .names = allowed, .n_names = 4, .action = BERTH_SCMP_ACT_ALLOW};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ERRNO, &sc, 1);
	s.has_default_errno_ret = true;
	s.default_errno_ret = ENOSYS;
	struct seccomp_filter *f = compile_ok(&s, NULL);
	struct outcome o = run_filtered(f, do_mkdir, NULL);
	ck_assert(o.got);
	ck_assert_int_eq(o.errnum, ENOSYS);
	seccomp_filter_free(f);
}
END_TEST

START_TEST(kill_process_sigsys)
{
	struct berth_seccomp_syscall sc = {
	    .names = mkdir_names, .n_names = 2, .action = BERTH_SCMP_ACT_KILL_PROCESS};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_filter *f = compile_ok(&s, NULL);
	struct outcome o = run_filtered(f, do_mkdir, NULL);
	ck_assert(!o.got);
	ck_assert(WIFSIGNALED(o.status));
	ck_assert_int_eq(WTERMSIG(o.status), SIGSYS);
	seccomp_filter_free(f);
	/* SCMP_ACT_KILL (= KILL_THREAD) kills a single-threaded child too. */
	sc.action = BERTH_SCMP_ACT_KILL;
	f = compile_ok(&s, NULL);
	o = run_filtered(f, do_mkdir, NULL);
	ck_assert(!o.got);
	ck_assert(WIFSIGNALED(o.status));
	ck_assert_int_eq(WTERMSIG(o.status), SIGSYS);
	seccomp_filter_free(f);
}
END_TEST

START_TEST(trap_sigsys)
{
	struct berth_seccomp_syscall sc = {
	    .names = mkdir_names, .n_names = 2, .action = BERTH_SCMP_ACT_TRAP};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_filter *f = compile_ok(&s, NULL);
	struct outcome o = run_filtered(f, do_mkdir, NULL);
	ck_assert(WIFSIGNALED(o.status));
	ck_assert_int_eq(WTERMSIG(o.status), SIGSYS);
	seccomp_filter_free(f);
}
END_TEST

START_TEST(personality_one_value)
{
	/* podman's shape: personality allowed for PER_LINUX only. */
	static char *names[] = {"personality"};
	struct berth_seccomp_arg arg = {.index = 0, .value = PER_LINUX, .op = BERTH_SCMP_CMP_NE};
	struct berth_seccomp_syscall sc = {.names = names,
					   .n_names = 1,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .args = &arg,
					   .n_args = 1};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_filter *f = compile_ok(&s, NULL);
	unsigned long linux_ = PER_LINUX, linux32 = PER_LINUX32, query = 0xffffffff;
	struct outcome o = run_filtered(f, do_personality, &linux_);
	ck_assert_int_ge(o.value, 0);
	o = run_filtered(f, do_personality, &linux32);
	ck_assert_int_eq(o.value, -1);
	ck_assert_int_eq(o.errnum, EPERM);
	o = run_filtered(f, do_personality, &query);
	ck_assert_int_eq(o.errnum, EPERM);
	seccomp_filter_free(f);
}
END_TEST

/* Every comparison operator on getpriority's "who": E2BIG when it holds. */
START_TEST(operators)
{
	static char *names[] = {"getpriority"};
	static const struct {
		enum berth_seccomp_op op;
		long who[3]; /* inputs */
		bool hit[3]; /* condition holds */
	} t[] = {
	    {BERTH_SCMP_CMP_NE, {99, 100, 101}, {true, false, true}},
	    {BERTH_SCMP_CMP_LT, {99, 100, 101}, {true, false, false}},
	    {BERTH_SCMP_CMP_LE, {99, 100, 101}, {true, true, false}},
	    {BERTH_SCMP_CMP_EQ, {99, 100, 101}, {false, true, false}},
	    {BERTH_SCMP_CMP_GE, {99, 100, 101}, {false, true, true}},
	    {BERTH_SCMP_CMP_GT, {99, 100, 101}, {false, false, true}},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct berth_seccomp_arg arg = {.index = 1, .value = 100, .op = t[i].op};
		struct berth_seccomp_syscall sc = {.names = names,
						   .n_names = 1,
						   .action = BERTH_SCMP_ACT_ERRNO,
						   .has_errno_ret = true,
						   .errno_ret = E2BIG,
						   .args = &arg,
						   .n_args = 1};
		struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
		struct seccomp_filter *f = compile_ok(&s, NULL);
		for (int k = 0; k < 3; k++) {
			struct prio_args a = {PRIO_PROCESS, t[i].who[k]};
			struct outcome o = run_filtered(f, do_getpriority, &a);
			ck_assert(o.got);
			ck_assert_msg((o.value == -1 && o.errnum == E2BIG) == t[i].hit[k],
				      "op %s who %ld: value %ld errno %d",
				      seccomp_operator_names[t[i].op].name, t[i].who[k], o.value,
				      o.errnum);
		}
		seccomp_filter_free(f);
	}
}
END_TEST

START_TEST(masked_eq)
{
	/* (who & 0xff00) == 0x1200 */
	static char *names[] = {"getpriority"};
	struct berth_seccomp_arg arg = {
	    .index = 1, .value = 0xff00, .value_two = 0x1200, .op = BERTH_SCMP_CMP_MASKED_EQ};
	struct berth_seccomp_syscall sc = {.names = names,
					   .n_names = 1,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .has_errno_ret = true,
					   .errno_ret = E2BIG,
					   .args = &arg,
					   .n_args = 1};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_filter *f = compile_ok(&s, NULL);
	static const struct {
		long who;
		bool hit;
	} t[] = {{0x1200, true}, {0x12ff, true}, {0x1300, false}, {0x0012, false}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct prio_args a = {PRIO_PROCESS, t[i].who};
		struct outcome o = run_filtered(f, do_getpriority, &a);
		ck_assert_msg((o.value == -1 && o.errnum == E2BIG) == t[i].hit, "who 0x%lx",
			      t[i].who);
	}
	seccomp_filter_free(f);
}
END_TEST

/* Distinct indexes: one rule, all conditions (AND). A repeated index: one
 * rule per condition (OR), as runc. */
START_TEST(several_conditions)
{
	static char *names[] = {"getpriority"};
	struct berth_seccomp_arg and_args[] = {
	    {.index = 0, .value = PRIO_PROCESS, .op = BERTH_SCMP_CMP_EQ},
	    {.index = 1, .value = 4242, .op = BERTH_SCMP_CMP_EQ},
	};
	struct berth_seccomp_syscall sc = {.names = names,
					   .n_names = 1,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .has_errno_ret = true,
					   .errno_ret = E2BIG,
					   .args = and_args,
					   .n_args = 2};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_filter *f = compile_ok(&s, NULL);
	struct prio_args both = {PRIO_PROCESS, 4242}, first = {PRIO_PROCESS, 0},
			 second = {PRIO_PGRP, 4242};
	ck_assert_int_eq(run_filtered(f, do_getpriority, &both).errnum, E2BIG);
	ck_assert_int_ne(run_filtered(f, do_getpriority, &first).errnum, E2BIG);
	ck_assert_int_ne(run_filtered(f, do_getpriority, &second).errnum, E2BIG);
	seccomp_filter_free(f);

	struct berth_seccomp_arg or_args[] = {
	    {.index = 1, .value = 4242, .op = BERTH_SCMP_CMP_EQ},
	    {.index = 1, .value = 4343, .op = BERTH_SCMP_CMP_EQ},
	};
	sc.args = or_args;
	f = compile_ok(&s, NULL);
	struct prio_args a = {PRIO_PROCESS, 4242}, b = {PRIO_PROCESS, 4343}, c = {PRIO_PROCESS, 0};
	ck_assert_int_eq(run_filtered(f, do_getpriority, &a).errnum, E2BIG);
	ck_assert_int_eq(run_filtered(f, do_getpriority, &b).errnum, E2BIG);
	ck_assert_int_ne(run_filtered(f, do_getpriority, &c).errnum, E2BIG);
	seccomp_filter_free(f);
}
END_TEST

START_TEST(skips_unknown_and_default)
{
	/* An unknown name beside a known one, and a rule repeating the
	 * default action: both compile, the known rule still works. */
	static char *names[] = {"no_such_syscall_42", "mkdir", "mkdirat"};
	static char *allow_names[] = {"getpid"};
	struct berth_seccomp_syscall sc[] = {
	    {.names = allow_names, .n_names = 1, .action = BERTH_SCMP_ACT_ALLOW},
	    {.names = names,
	     .n_names = 3,
	     .action = BERTH_SCMP_ACT_ERRNO,
	     .has_errno_ret = true,
	     .errno_ret = EXDEV},
	};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, sc, 2);
	struct seccomp_filter *f = compile_ok(&s, NULL);
	ck_assert_int_eq(run_filtered(f, do_mkdir, NULL).errnum, EXDEV);
	seccomp_filter_free(f);
}
END_TEST

static long newer_and_older(void *arg)
{
	(void)arg;
	/* process_madvise (440) is above everything the profile names; mkdir
	 * (83) is below and simply not allowed. Bits: 1 = ENOSYS for the
	 * newer, 2 = EPERM for the older. */
	long r = 0;
	if (syscall(440, -1, NULL, 0, 0, 0) < 0 && errno == ENOSYS)
		r |= 1;
	if (do_mkdir(NULL) < 0 && errno == EPERM)
		r |= 2;
	return r;
}

/* Syscalls newer than the profile answer ENOSYS, not the default EPERM
 * (runc's stub), so programs fall back instead of failing. */
START_TEST(enosys_for_newer_syscalls)
{
	static char *allowed[] = {"write", "exit_group", "exit", "getpid", "close", "rt_sigreturn"};
	struct berth_seccomp_syscall sc = {
	    .names = allowed, .n_names = 6, .action = BERTH_SCMP_ACT_ALLOW};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ERRNO, &sc, 1);
	struct seccomp_filter *f = compile_ok(&s, NULL);
	struct outcome o = run_filtered(f, newer_and_older, NULL);
	ck_assert(o.got);
	ck_assert_int_eq(o.value, 3);
	unsigned with_stub = seccomp_filter_length(f);
	seccomp_filter_free(f);
	/* A default that already lets syscalls through gets no stub. */
	s.default_action = BERTH_SCMP_ACT_ALLOW;
	sc.action = BERTH_SCMP_ACT_ERRNO;
	f = compile_ok(&s, NULL);
	ck_assert_uint_lt(seccomp_filter_length(f), with_stub);
	seccomp_filter_free(f);
}
END_TEST

START_TEST(architectures)
{
	static char *archs[] = {"SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_X86_64"};
	struct berth_seccomp_syscall sc = {.names = mkdir_names,
					   .n_names = 2,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .has_errno_ret = true,
					   .errno_ret = EXDEV};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_filter *native = compile_ok(&s, NULL);
	s.architectures = archs;
	s.n_architectures = 3;
	struct seccomp_filter *multi = compile_ok(&s, NULL);
	/* The other archs' sections make the program longer. */
	ck_assert_uint_gt(seccomp_filter_length(multi), seccomp_filter_length(native));
	ck_assert_int_eq(run_filtered(multi, do_mkdir, NULL).errnum, EXDEV);
	seccomp_filter_free(native);
	seccomp_filter_free(multi);
}
END_TEST

START_TEST(errors_name_the_field)
{
	static char *bad_arch[] = {"SCMP_ARCH_PDP11"};
	static char *bad_flag[] = {"SECCOMP_FILTER_FLAG_NOPE"};
	static char *write_name[] = {"write"};
	struct berth_seccomp_arg arg = {.index = 7, .value = 1, .op = BERTH_SCMP_CMP_EQ};
	struct berth_seccomp_syscall sc = {.names = mkdir_names,
					   .n_names = 2,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .args = &arg,
					   .n_args = 1};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	compile_fails(&s, "linux.seccomp.syscalls[0].args[0]: index 7 out of range");

	s = profile(BERTH_SCMP_ACT_ALLOW, NULL, 0);
	s.architectures = bad_arch;
	s.n_architectures = 1;
	compile_fails(&s,
		      "linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_PDP11\"");

	s = profile(BERTH_SCMP_ACT_ALLOW, NULL, 0);
	s.flags = bad_flag;
	s.n_flags = 1;
	compile_fails(&s, "linux.seccomp.flags[0]: unknown flag");

	s = profile(BERTH_SCMP_ACT_NOTIFY, NULL, 0);
	compile_fails(&s, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default");

	struct berth_seccomp_syscall wr = {
	    .names = write_name, .n_names = 1, .action = BERTH_SCMP_ACT_NOTIFY};
	s = profile(BERTH_SCMP_ACT_ALLOW, &wr, 1);
	compile_fails(&s,
		      "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for \"write\"");

	struct berth_seccomp_syscall big = {.names = mkdir_names,
					    .n_names = 2,
					    .action = BERTH_SCMP_ACT_ERRNO,
					    .has_errno_ret = true,
					    .errno_ret = 70000};
	s = profile(BERTH_SCMP_ACT_ALLOW, &big, 1);
	compile_fails(&s, "linux.seccomp.syscalls[0]: errnoRet 70000 out of range");
}
END_TEST

/* ---- TSYNC ---- */

struct tsync {
	int go[2];   /* main -> thread: filter installed */
	int done[2]; /* thread -> main: its errno */
};

static void *tsync_thread(void *arg)
{
	struct tsync *t = arg;
	char c;
	if (read(t->go[0], &c, 1) != 1)
		return NULL;
	errno = 0;
	int e = do_mkdir(NULL) < 0 ? errno : 0;
	(void)!write(t->done[1], &e, sizeof(e));
	return NULL;
}

/* Child: start a thread, install (from the main thread), let the thread
 * mkdir; returns the thread's errno. Runs outside run_filtered because the
 * thread must exist before the install. */
static int tsync_child(const struct seccomp_filter *f)
{
	struct tsync t;
	pthread_t th;
	if (pipe(t.go) < 0 || pipe(t.done) < 0 || pthread_create(&th, NULL, tsync_thread, &t))
		return -1;
	struct berth_error err = {0};
	int nfd;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_filter_install(f, &nfd, &err) < 0)
		return -2;
	(void)!write(t.go[1], "x", 1);
	int e = -3;
	if (read(t.done[0], &e, sizeof(e)) != sizeof(e))
		return -4;
	pthread_join(th, NULL);
	return e;
}

static int tsync_run(bool tsync)
{
	static char *flags[] = {"SECCOMP_FILTER_FLAG_TSYNC"};
	struct berth_seccomp_syscall sc = {.names = mkdir_names,
					   .n_names = 2,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .has_errno_ret = true,
					   .errno_ret = EXDEV};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	if (tsync) {
		s.flags = flags;
		s.n_flags = 1;
	}
	struct seccomp_filter *f = compile_ok(&s, NULL);
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int e = tsync_child(f);
		(void)!write(p[1], &e, sizeof(e));
		child_exit(0);
	}
	close(p[1]);
	int e = -100;
	ck_assert_int_eq(read(p[0], &e, sizeof(e)), sizeof(e));
	close(p[0]);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	seccomp_filter_free(f);
	return e;
}

START_TEST(tsync_thread_filtered)
{
	/* With TSYNC the other thread is filtered too... */
	ck_assert_int_eq(tsync_run(true), EXDEV);
	/* ...without it, it is not (its mkdir succeeds). */
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/made", tmpdir);
	ck_assert_int_eq(tsync_run(false), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

/* ---- LOG ---- */

static long seccomp_status(void *arg)
{
	(void)arg;
	/* Returns Seccomp mode * 100 + Seccomp_filters from /proc/self/status,
	 * after a getpriority that SCMP_ACT_LOG lets through. */
	errno = 0;
	long prio = syscall(SYS_getpriority, PRIO_PROCESS, 0);
	if (prio < 0)
		return -1;
	FILE *fp = fopen("/proc/self/status", "re");
	if (!fp)
		return -2;
	char line[256];
	long mode = -1, filters = -1;
	while (fgets(line, sizeof(line), fp)) {
		sscanf(line, "Seccomp: %ld", &mode);
		sscanf(line, "Seccomp_filters: %ld", &filters);
	}
	fclose(fp);
	return mode * 100 + filters;
}

START_TEST(log_action_and_flag)
{
	static char *names[] = {"getpriority"};
	static char *flags[] = {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"};
	struct berth_seccomp_syscall sc = {
	    .names = names, .n_names = 1, .action = BERTH_SCMP_ACT_LOG};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	s.flags = flags;
	s.n_flags = 2;
	struct seccomp_filter *f = compile_ok(&s, NULL);
	struct outcome o = run_filtered(f, seccomp_status, NULL);
	ck_assert(o.got);
	/* The logged syscall ran; the child is in filter mode (2) with one
	 * filter. */
	ck_assert_int_eq(o.value, 2 * 100 + 1);
	seccomp_filter_free(f);
}
END_TEST

/* ---- NOTIFY through the listener helper ---- */

static const char *listener_path(void)
{
	static char path[PATH_MAX + 64];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(path, sizeof(path), "%s/../helpers/seccomp_listener", self);
	return path;
}

static int send_fd(int sock, int fd)
{
	struct iovec iov = {"f", 1};

	return fdpass_send(sock, &iov, 1, fd) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c;
	struct iovec iov = {&c, 1};
	int fd;

	if (fdpass_recv(sock, &iov, 1, &fd, NULL) == 1)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

START_TEST(notify_listener)
{
	const char *helper = listener_path();
	ck_assert_msg(access(helper, X_OK) == 0, "%s not built", helper);
	char sock[108], state_out[PATH_MAX];
	snprintf(sock, sizeof(sock), "%s/listener.sock", tmpdir);
	snprintf(state_out, sizeof(state_out), "%s/state.json", tmpdir);

	/* The listener answers every notification with 4242. */
	pid_t lp = fork();
	ck_assert_int_ge(lp, 0);
	if (lp == 0) {
		execl(helper, helper, "-d", "-o", state_out, "-r", "4242", sock, (char *)NULL);
		child_exit(127);
	}
	int st;
	ck_assert_int_eq(waitpid(lp, &st, 0), lp);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	static char *names[] = {"getppid"};
	struct berth_seccomp_syscall sc = {
	    .names = names, .n_names = 1, .action = BERTH_SCMP_ACT_NOTIFY};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	s.listener_path = sock;
	s.listener_metadata = "berth-test-metadata";
	struct seccomp_filter *f = compile_ok(&s, NULL);
	ck_assert(seccomp_filter_wants_notify(f));

	int sp[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sp[0]);
		struct berth_error err = {0};
		int nfd = -1;
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    seccomp_filter_install(f, &nfd, &err) < 0 || nfd < 0 || send_fd(sp[1], nfd) < 0)
			child_exit(10);
		close(nfd);
		/* Answered by the listener, not the kernel. */
		long r = syscall(SYS_getppid);
		child_exit(r == 4242 ? 0 : 11);
	}
	close(sp[1]);
	int nfd = recv_fd(sp[0]);
	close(sp[0]);
	ck_assert_int_ge(nfd, 0);
	char state[256];
	snprintf(state, sizeof(state),
		 "{\"ociVersion\":\"1.2.0\",\"id\":\"seccomp-unit\",\"status\":\"creating\","
		 "\"pid\":%d,\"bundle\":\"/nonexistent\"}",
		 (int)pid);
	struct berth_error err = {0};
	char *msg = seccomp_agent_message(&s, pid, state, &err);
	ck_assert_msg(msg, "message: %s", err.msg);
	int r = seccomp_notify_forward(&s, nfd, msg, &err);
	free(msg);
	ck_assert_msg(r == 0, "forward: %s", err.msg);
	close(nfd);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status 0x%x", st);

	/* What the agent received is the spec's container process state. */
	json_error_t jerr;
	json_t *doc = json_load_file(state_out, 0, &jerr);
	ck_assert_msg(doc, "state: %s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "ociVersion")), "1.2.0");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(doc, "fds"), 0)),
			 "seccompFd");
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "pid")), pid);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "metadata")),
			 "berth-test-metadata");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "state"), "id")),
			 "seccomp-unit");
	json_decref(doc);
	seccomp_filter_free(f);
}
END_TEST

/* The agent's message is rendered in runtime/: the state's ociVersion,
 * the fd name, the pid, metadata only when set, the state as it was. */
START_TEST(agent_message)
{
	struct berth_seccomp s = {0};
	struct berth_error err = {0};
	char *m = seccomp_agent_message(&s, 42, "{\"ociVersion\":\"1.2.0\",\"id\":\"x\"}", &err);
	ck_assert_msg(m, "%s", err.msg);
	ck_assert_str_eq(m, "{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":42,"
			    "\"state\":{\"ociVersion\":\"1.2.0\",\"id\":\"x\"}}");
	free(m);
	s.listener_metadata = "meta \"q\"";
	m = seccomp_agent_message(&s, 7, "{}", &err);
	ck_assert_msg(m, "%s", err.msg);
	ck_assert_str_eq(m, "{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":7,"
			    "\"metadata\":\"meta \\\"q\\\"\",\"state\":{}}");
	free(m);
	ck_assert_ptr_null(seccomp_agent_message(&s, 7, "[1]", &err));
	ck_assert_msg(strstr(err.msg, "container state document: not an object"), "%s", err.msg);
}
END_TEST

START_TEST(notify_no_listener)
{
	static char *names[] = {"getppid"};
	struct berth_seccomp_syscall sc = {
	    .names = names, .n_names = 1, .action = BERTH_SCMP_ACT_NOTIFY};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	char sock[PATH_MAX];
	snprintf(sock, sizeof(sock), "%s/nobody.sock", tmpdir);
	s.listener_path = sock;
	struct berth_error err = {0};
	ck_assert_int_eq(seccomp_notify_forward(&s, 0, "{}", &err), -1);
	ck_assert_msg(strstr(err.msg, "connect") && strstr(err.msg, sock), "%s", err.msg);
	s.listener_path = NULL;
	ck_assert_int_eq(seccomp_notify_forward(&s, 0, "{}", &err), -1);
	ck_assert(strstr(err.msg, "linux.seccomp.listenerPath"));
}
END_TEST

/* ---- the cache ---- */

static void cache_file(const struct berth_seccomp *s, char *path, size_t len)
{
	char key[65];
	seccomp_cache_key(s, key);
	snprintf(path, len, "%s/seccomp/%s.bpf", tmpdir, key);
}

static int count_entries(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "ls %s/seccomp | grep -c '\\.bpf$'", tmpdir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

START_TEST(cache_hit_and_miss)
{
	struct berth_seccomp_syscall sc = {.names = mkdir_names,
					   .n_names = 2,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .has_errno_ret = true,
					   .errno_ret = ENOMSG};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	struct seccomp_filter *a = compile_ok(&s, tmpdir);
	ck_assert(!seccomp_filter_from_cache(a));
	struct seccomp_filter *b = compile_ok(&s, tmpdir);
	ck_assert(seccomp_filter_from_cache(b));
	ck_assert_uint_eq(a->n_insns, b->n_insns);
	ck_assert_int_eq(memcmp(a->insns, b->insns, a->n_insns * sizeof(*a->insns)), 0);
	/* The cached program works. */
	ck_assert_int_eq(run_filtered(b, do_mkdir, NULL).errnum, ENOMSG);

	char path[PATH_MAX], dir[PATH_MAX];
	cache_file(&s, path, sizeof(path));
	snprintf(dir, sizeof(dir), "%s/seccomp", tmpdir);
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 077, 0);

	/* A different profile is a different entry. */
	sc.errno_ret = EXDEV;
	struct seccomp_filter *c = compile_ok(&s, tmpdir);
	ck_assert(!seccomp_filter_from_cache(c));
	ck_assert_int_eq(count_entries(), 2);
	seccomp_filter_free(a);
	seccomp_filter_free(b);
	seccomp_filter_free(c);
}
END_TEST

static void expect_rejected_then_fixed(const struct berth_seccomp *s, const char *path)
{
	struct seccomp_filter *f = compile_ok(s, tmpdir);
	ck_assert(!seccomp_filter_from_cache(f));
	seccomp_filter_free(f);
	/* Rewritten sound: the next one hits. */
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(st.st_uid, geteuid());
	f = compile_ok(s, tmpdir);
	ck_assert(seccomp_filter_from_cache(f));
	seccomp_filter_free(f);
}

START_TEST(cache_tampered)
{
	struct berth_seccomp_syscall sc = {.names = mkdir_names,
					   .n_names = 2,
					   .action = BERTH_SCMP_ACT_ERRNO,
					   .has_errno_ret = true,
					   .errno_ret = ENOMSG};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	char path[PATH_MAX];
	cache_file(&s, path, sizeof(path));
	seccomp_filter_free(compile_ok(&s, tmpdir));

	/* Wrong mode. */
	ck_assert_int_eq(chmod(path, 0644), 0);
	expect_rejected_then_fixed(&s, path);

	/* Wrong owner. */
	ck_assert_int_eq(chown(path, 12345, 12345), 0);
	expect_rejected_then_fixed(&s, path);

	/* Garbage of a plausible size, mode and owner right. */
	FILE *fp = fopen(path, "r+");
	ck_assert_ptr_nonnull(fp);
	char junk[64];
	memset(junk, 0x5a, sizeof(junk));
	ck_assert_int_eq(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	fclose(fp);
	expect_rejected_then_fixed(&s, path);

	/* Truncated. */
	ck_assert_int_eq(truncate(path, 100), 0);
	expect_rejected_then_fixed(&s, path);

	/* A valid program under the wrong name: another profile's entry
	 * copied over this one (allow-all instead of the errno rule). */
	struct berth_seccomp other = profile(BERTH_SCMP_ACT_ALLOW, NULL, 0);
	char other_path[PATH_MAX], cmd[2 * PATH_MAX + 16];
	cache_file(&other, other_path, sizeof(other_path));
	seccomp_filter_free(compile_ok(&other, tmpdir));
	snprintf(cmd, sizeof(cmd), "cp -p %s %s", other_path, path);
	ck_assert_int_eq(system(cmd), 0);
	expect_rejected_then_fixed(&s, path);

	/* A symlink to a sound file. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink(other_path, path), 0);
	expect_rejected_then_fixed(&s, path);
}
END_TEST

START_TEST(cache_dir_unsafe)
{
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, NULL, 0);
	seccomp_filter_free(compile_ok(&s, tmpdir));
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/seccomp", tmpdir);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	/* Others could plant programs: the cache is not used at all. */
	struct seccomp_filter *f = compile_ok(&s, tmpdir);
	ck_assert(!seccomp_filter_from_cache(f));
	seccomp_filter_free(f);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	f = compile_ok(&s, tmpdir);
	ck_assert(seccomp_filter_from_cache(f));
	seccomp_filter_free(f);
}
END_TEST

START_TEST(cache_bounded)
{
	static char *names[] = {"getpriority"};
	struct berth_seccomp_syscall sc = {
	    .names = names, .n_names = 1, .action = BERTH_SCMP_ACT_ERRNO, .has_errno_ret = true};
	struct berth_seccomp s = profile(BERTH_SCMP_ACT_ALLOW, &sc, 1);
	for (uint32_t i = 0; i < SECCOMP_CACHE_MAX_ENTRIES + 6; i++) {
		sc.errno_ret = i + 1;
		seccomp_filter_free(compile_ok(&s, tmpdir));
	}
	ck_assert_int_eq(count_entries(), SECCOMP_CACHE_MAX_ENTRIES);
	/* The newest survived. */
	struct seccomp_filter *f = compile_ok(&s, tmpdir);
	ck_assert(seccomp_filter_from_cache(f));
	seccomp_filter_free(f);
}
END_TEST

/* ---- podman's default profile (spec-examples/seccomp) ---- */

static long podman_effects(void *arg)
{
	(void)arg;
	/* mkdir is allowed; add_key is not in the allow-list (defaultErrnoRet
	 * ENOSYS); open_by_handle_at is an explicit EPERM (no
	 * CAP_DAC_READ_SEARCH); personality(PER_LINUX32) is allowed. */
	long r = 0;
	if (do_mkdir(NULL) == 0)
		r |= 1;
	if (syscall(SYS_add_key, NULL, NULL, NULL, 0, 0) < 0 && errno == ENOSYS)
		r |= 2;
	if (syscall(SYS_open_by_handle_at, -1, NULL, 0) < 0 && errno == EPERM)
		r |= 4;
	if (syscall(SYS_personality, PER_LINUX32) >= 0)
		r |= 8;
	if (syscall(SYS_personality, 0x0d) < 0 && errno == ENOSYS)
		r |= 16;
	return r;
}

static long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

START_TEST(podman_profile)
{
	struct berth_error err = {0};
	struct berth_spec *spec =
	    berth_spec_load(SOURCE_ROOT "/spec-examples/seccomp/config.json", &err);
	ck_assert_msg(spec, "load: %s", err.msg);
	const struct berth_seccomp *s = &spec->linux_.seccomp;
	ck_assert(s->present);
	ck_assert_uint_gt(s->n_syscalls, 10);

	enum { COMPILES = 10, HITS = 200 };
	long t0 = now_us();
	for (int i = 0; i < COMPILES; i++)
		seccomp_filter_free(compile_ok(s, NULL));
	long compile_us = (now_us() - t0) / COMPILES;

	seccomp_filter_free(compile_ok(s, tmpdir)); /* fills the cache */
	struct seccomp_filter *f = NULL;
	t0 = now_us();
	for (int i = 0; i < HITS; i++) {
		seccomp_filter_free(f);
		f = compile_ok(s, tmpdir);
		ck_assert(seccomp_filter_from_cache(f));
	}
	long hit_us = (now_us() - t0) / HITS;
	fprintf(stderr,
		"podman default profile: %u BPF instructions; compile %ld us, cache hit %ld us\n",
		seccomp_filter_length(f), compile_us, hit_us);
	ck_assert_msg(hit_us * 5 < compile_us, "cache hit %ld us vs compile %ld us", hit_us,
		      compile_us);

	struct outcome o = run_filtered(f, podman_effects, NULL);
	ck_assert(o.got);
	ck_assert_msg(o.value == 31, "effects 0x%lx", o.value);
	seccomp_filter_free(f);
	berth_spec_free(spec);
}
END_TEST

START_TEST(features)
{
	struct seccomp_features f;
	struct berth_error err = {0};
	ck_assert_int_eq(seccomp_features_probe(&f, &err), 0);
	ck_assert(f.enabled);
	ck_assert_uint_eq(f.actions.n, 9);
	ck_assert_str_eq(f.actions.names[0], "SCMP_ACT_KILL");
	ck_assert_uint_eq(f.operators.n, 7);
	ck_assert_uint_eq(f.known_flags.n, 4);
	ck_assert_uint_ge(f.archs.n, 10);
	/* This kernel (>= 5.19) has every flag, in the table's order. */
	static const char *const want[] = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
					   "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
					   "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
	ck_assert_uint_eq(f.supported_flags.n, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(f.supported_flags.names[i], want[i]);
	bool x86_64 = false;
	for (size_t i = 0; i < f.archs.n; i++)
		x86_64 |= strcmp(f.archs.names[i], "SCMP_ARCH_X86_64") == 0;
	ck_assert(x86_64);
	seccomp_features_free(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("seccomp");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sha256_vectors);
	tcase_add_test(tc, errno_custom);
	tcase_add_test(tc, default_errno_ret);
	tcase_add_test(tc, kill_process_sigsys);
	tcase_add_test(tc, trap_sigsys);
	tcase_add_test(tc, personality_one_value);
	tcase_add_test(tc, operators);
	tcase_add_test(tc, masked_eq);
	tcase_add_test(tc, several_conditions);
	tcase_add_test(tc, skips_unknown_and_default);
	tcase_add_test(tc, enosys_for_newer_syscalls);
	tcase_add_test(tc, architectures);
	tcase_add_test(tc, errors_name_the_field);
	tcase_add_test(tc, tsync_thread_filtered);
	tcase_add_test(tc, log_action_and_flag);
	tcase_add_test(tc, notify_listener);
	tcase_add_test(tc, agent_message);
	tcase_add_test(tc, notify_no_listener);
	tcase_add_test(tc, cache_hit_and_miss);
	tcase_add_test(tc, cache_tampered);
	tcase_add_test(tc, cache_dir_unsafe);
	tcase_add_test(tc, cache_bounded);
	tcase_add_test(tc, podman_profile);
	tcase_add_test(tc, features);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(suite());
}
