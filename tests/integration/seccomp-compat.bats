#!/usr/bin/env bats
# seccomp-compat.bats - seccomp profiles that nobody here wrote must not
# break berth's own last steps: a 2017-style allow-list (no openat2,
# close_range, clone3, faccessat2, pidfd_*, execveat), the same with later
# additions (so those missing ones get the default action instead of the
# ENOSYS stub), and a minimal one (what busybox needs plus what berth needs
# after loading the filter, as the README's "Security notes" list it); each
# with defaultAction ERRNO(EPERM), ERRNO(ENOSYS) and KILL_PROCESS, with
# noNewPrivileges true and false, for `run` and for `exec`. Each case also
# runs under runc 1.1.5 (when installed) and the outputs are compared.
#
# Deliberately different from runc: where runc fails (its init is killed or
# refused by the profile, because it makes many calls after loading the
# filter), berth must still run the workload; the test says so where it
# happens.

load helpers
load ct_helpers

# Docker's default profile of 2017, without the calls it only allowed with
# extra capabilities, and without execveat.
PROFILE_2017="accept accept4 access adjtimex alarm arch_prctl bind brk capget capset chdir chmod
chown chown32 clock_getres clock_gettime clock_nanosleep clone close connect copy_file_range
creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_wait
epoll_wait_old eventfd eventfd2 execve exit exit_group faccessat fadvise64 fadvise64_64
fallocate fanotify_mark fchdir fchmod fchmodat fchown fchown32 fchownat fcntl fcntl64
fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstat64 fstatat64
fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futimesat getcpu getcwd getdents
getdents64 getegid getegid32 geteuid geteuid32 getgid getgid32 getgroups getgroups32
getitimer getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid
getresgid32 getresuid getresuid32 getrlimit get_robust_list getrusage getsid getsockname
getsockopt get_thread_area gettid gettimeofday getuid getuid32 getxattr inotify_add_watch
inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy io_getevents
ioprio_get ioprio_set io_setup io_submit ipc kill lchown lchown32 lgetxattr link linkat listen
listxattr llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64 madvise memfd_create
mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2 modify_ldt mprotect
mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedsend mq_unlink mremap msgctl msgget
msgrcv msgsnd msync munlock munlockall munmap nanosleep newfstatat _newselect open openat
pause personality pipe pipe2 poll ppoll prctl pread64 preadv preadv2 prlimit64 pselect6
pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recv recvfrom recvmmsg
recvmsg remap_file_pages removexattr rename renameat renameat2 restart_syscall rmdir
rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend
rt_sigtimedwait rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam
sched_get_priority_max sched_get_priority_min sched_getscheduler sched_rr_get_interval
sched_setaffinity sched_setattr sched_setparam sched_setscheduler sched_yield seccomp select
semctl semget semop semtimedop send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid
setfsgid32 setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid
setpriority setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid
setreuid32 setrlimit set_robust_list setsid setsockopt set_thread_area set_tid_address setuid
setuid32 setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 sigreturn
socket socketcall socketpair splice stat stat64 statfs statfs64 symlink symlinkat sync
sync_file_range syncfs sysinfo syslog tee tgkill time timer_create timer_delete
timerfd_create timerfd_gettime timerfd_settime timer_getoverrun timer_gettime timer_settime
times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat utime utimensat utimes
vfork vmsplice wait4 waitid waitpid write writev"

# Later additions that hand-written profiles picked up, still without
# openat2, close_range, clone3, faccessat2, pidfd_* and execveat: epoll_pwait2
# (441) lifts the ENOSYS stub above all of those.
PROFILE_LATER="rseq statx epoll_pwait2"

# What the workloads of the minimal case (busybox echo, and sleep for the
# container exec joins) make, from strace, and what berth needs after
# loading the filter (README, "Security notes").
PROFILE_MINIMAL_WORKLOAD="arch_prctl brk exit_group getrandom getuid mprotect prctl prlimit64
readlink rseq set_robust_list set_tid_address write clock_nanosleep"
PROFILE_MINIMAL_BERTH="execve capset"

setup() {
	require_root
	setup_bundle default
	chmod 0755 "$ROOTFS"
	RUNC_ROOT=$BERTH_TEST_DIR/runc
}

teardown() {
	teardown_runc
	teardown_bundle
}

# make_configs NAMES ARGS...: one config per default action (EPERM,
# ENOSYS, KILL) and noNewPrivileges (true, false), each allowing only
# NAMES (words), with process.args ARGS and cwd /tmp, as
# $BERTH_TEST_DIR/cfg-DEFAULT-NNP.json; plus cfg-...-sleep.json running
# `sleep 1000`, for exec. One python run: it is the slow part here.
make_configs() {
	printf '%s' "$1" >"$BERTH_TEST_DIR/names"
	shift
	printf '%s\0' "$@" >"$BERTH_TEST_DIR/args"
	python3 - "$REPO/spec-examples/default/config.json" "$BERTH_TEST_DIR" <<'PY'
import json, sys
base, d = sys.argv[1], sys.argv[2]
names = open(d + '/names').read().split()
args = open(d + '/args').read().split('\0')[:-1]
for act in ('EPERM', 'ENOSYS', 'KILL'):
    for nnp in ('true', 'false'):
        for suffix, a in (('', args), ('-sleep', ['sleep', '1000'])):
            c = json.load(open(base))
            s = {'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
                 'syscalls': [{'names': names, 'action': 'SCMP_ACT_ALLOW'}]}
            if act == 'KILL':
                s['defaultAction'] = 'SCMP_ACT_KILL_PROCESS'
            else:
                s['defaultAction'] = 'SCMP_ACT_ERRNO'
                if act == 'ENOSYS':
                    s['defaultErrnoRet'] = 38
            c['linux']['seccomp'] = s
            c['process']['noNewPrivileges'] = nnp == 'true'
            c['process']['args'] = a
            c['process']['cwd'] = '/tmp'
            json.dump(c, open(f'{d}/cfg-{act}-{nnp}{suffix}.json', 'w'), indent='\t')
PY
}

# use_config DEFAULT NNP [-sleep]: that config becomes the bundle's.
use_config() {
	cp "$BERTH_TEST_DIR/cfg-$1-$2${3:-}.json" "$BUNDLE/config.json"
}

# case_run RUNTIME ID: `run` of the bundle, output and status in the
# globals out/rc; RUNTIME is berth or runc.
case_run() {
	if [ "$1" = runc ]; then
		out=$(runc --root "$RUNC_ROOT" run "$2" </dev/null 2>&1) && rc=0 || rc=$?
	else
		out=$(berth run "$2" </dev/null 2>&1) && rc=0 || rc=$?
	fi
}

# case_exec RUNTIME ID ARGS...: run -d of the bundle (a -sleep config),
# then `exec ARGS` in it; out/rc as case_run. The container is deleted
# afterwards.
case_exec() {
	local rt=$1 id=$2
	shift 2
	if [ "$rt" = runc ]; then
		runc --root "$RUNC_ROOT" run -d "$id" </dev/null >/dev/null 2>&1 || {
			out="runc run -d failed" rc=1
			return 0
		}
		out=$(runc --root "$RUNC_ROOT" exec --cwd /tmp "$id" "$@" </dev/null 2>&1) && rc=0 || rc=$?
		runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1
	else
		detached run -d "$id" || {
			out="berth run -d failed" rc=1
			return 0
		}
		out=$(berth exec --cwd /tmp "$id" "$@" </dev/null 2>&1) && rc=0 || rc=$?
		berth delete -f "$id" >/dev/null 2>&1
	fi
}

# matrix NAMES LABEL: every default action x noNewPrivileges x run/exec.
# The workload prints a marker, its cwd and its uid. berth must always run
# it; runc must give the same output wherever runc itself succeeds.
matrix() {
	local names=$1 label=$2 d nnp mode rt want failed=0 n=0
	local script="echo ok-$label; pwd; id -u"
	want="ok-$label"$'\n'/tmp$'\n'0
	make_configs "$names" sh -c "$script"
	for d in EPERM ENOSYS KILL; do
		for nnp in true false; do
			for mode in run exec; do
				for rt in berth runc; do
					[ "$rt" = berth ] || command -v runc >/dev/null || continue
					n=$((n + 1))
					if [ "$mode" = run ]; then
						use_config "$d" "$nnp"
						case_run "$rt" "scc-$n-$$"
					else
						use_config "$d" "$nnp" -sleep
						case_exec "$rt" "scc-$n-$$" sh -c "$script"
					fi
					if [ "$rc" -eq 0 ] && [ "$out" = "$want" ]; then
						continue
					elif [ "$rt" = runc ] && [ "$rc" -ne 0 ]; then
						# runc's init makes a dozen calls under the
						# filter (see the file's header): berth is
						# better here.
						echo "note: runc fails $mode $label default=$d nnp=$nnp: $out"
						continue
					fi
					echo "FAIL $rt $mode $label default=$d nnp=$nnp: rc=$rc: $out" >&2
					failed=1
				done
			done
		done
	done
	return $failed
}

@test "seccomp-compat: a 2017 allow-list profile, every default action, nnp on and off, run and exec" {
	matrix "$PROFILE_2017" 2017
}

@test "seccomp-compat: the 2017 profile with later additions (openat2 and friends get the default action)" {
	matrix "$PROFILE_2017 $PROFILE_LATER" later
}

@test "seccomp-compat: a minimal profile (busybox + execve, capset) under KILL_PROCESS runs, run and exec" {
	local nnp mode n=0
	make_configs "$PROFILE_MINIMAL_WORKLOAD $PROFILE_MINIMAL_BERTH" echo minimal-ok
	for nnp in true false; do
		for mode in run exec; do
			n=$((n + 1))
			if [ "$mode" = run ]; then
				use_config KILL "$nnp"
				case_run berth "scm-$n-$$"
			else
				use_config KILL "$nnp" -sleep
				case_exec berth "scm-$n-$$" echo minimal-ok
			fi
			echo "berth $mode nnp=$nnp: rc=$rc: $out"
			[ "$rc" -eq 0 ]
			[ "$out" = minimal-ok ]
		done
	done
	# runc 1.1.5 can't run it (its init dies under the filter): shown, not
	# required.
	if command -v runc >/dev/null; then
		use_config KILL false
		case_run runc "scm-runc-$$"
		echo "runc, nnp=false: rc=$rc: $out"
	fi
}

@test "seccomp-compat: without capset in the minimal profile, nnp=false fails with a reason, nnp=true runs" {
	make_configs "$PROFILE_MINIMAL_WORKLOAD execve" sh -c 'grep CapEff /proc/self/status'
	use_config EPERM true
	update_config "c['process']['args'] = ['echo', 'minimal-ok']"
	case_run berth "scn-1-$$"
	echo "nnp=true: rc=$rc: $out"
	[ "$rc" -eq 0 ]
	[ "$out" = minimal-ok ]
	# capset is the one call berth makes under the filter without
	# noNewPrivileges (it drops the CAP_SYS_ADMIN that loading it needed):
	# refused, the container must not start with that capability.
	use_config EPERM false
	case_run berth "scn-2-$$"
	echo "nnp=false: rc=$rc: $out"
	[ "$rc" -ne 0 ]
	[[ "$out" == *"drop CAP_SYS_ADMIN after loading the seccomp filter"* ]]
	[[ "$out" != *CapEff* ]]
}

@test "seccomp-compat: a startContainer hook runs under a KILL_PROCESS profile that lists newer syscalls" {
	# The hook runs under the filter, as with runc; berth's hook runner
	# must not use pidfd_open or close_range there (killed for them).
	printf '#!/bin/sh\necho hook-ran >/tmp/hook.mark\n' >"$ROOTFS/hook.sh"
	chmod 0755 "$ROOTFS/hook.sh"
	make_configs "$PROFILE_2017 $PROFILE_LATER" cat /tmp/hook.mark
	local nnp rt
	for nnp in true false; do
		for rt in berth runc; do
			[ "$rt" = berth ] || command -v runc >/dev/null || continue
			use_config KILL "$nnp"
			update_config "c['root']['readonly'] = False
c['hooks'] = {'startContainer': [{'path': '/hook.sh'}]}"
			rm -f "$ROOTFS/tmp/hook.mark"
			case_run "$rt" "sch-$nnp-$rt-$$"
			echo "$rt nnp=$nnp: rc=$rc: $out"
			if [ "$rt" = runc ] && [ "$nnp" = false ]; then
				continue # runc's own init dies under this filter
			fi
			[ "$rc" -eq 0 ]
			[ "$out" = hook-ran ]
		done
	done
}
