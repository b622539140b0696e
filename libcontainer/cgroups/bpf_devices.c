/* bpf_devices.c - cgroup v2 device rules as an eBPF program.
 *
 * cgroup v2 has no devices.allow/deny files: access to device nodes is
 * decided by a BPF_PROG_TYPE_CGROUP_DEVICE program attached to the cgroup.
 * This file writes that program by hand (no libbpf): the config's rules are
 * tested from the last to the first, the first match returns its verdict,
 * and no match denies. It loads and attaches it with bpf(2), replacing any
 * program berth attached before. It never touches another cgroup. */
#include "cgroup_internal.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/log.h"

/* Registers: r1 ctx (then scratch), r2 type, r3 access, r4 major, r5 minor. */
#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i;

	memset(&i, 0, sizeof(i));
	i.code = code;
	i.dst_reg = dst & 0xf;
	i.src_reg = src & 0xf;
	i.off = off;
	i.imm = imm;
	return i;
}

#define LDX_W(dst, src, off)	insn(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define ALU32_IMM(op, dst, imm) insn(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define MOV32_REG(dst, src)	insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV64_IMM(dst, imm)	insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define JNE_IMM(dst, imm, off)	insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JNE_REG(dst, src, off)	insn(BPF_JMP | BPF_JNE | BPF_X, dst, src, off, 0)
#define EXIT()			insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#define ACC_ALL (BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE)

/* One rule's block; jumps with off JUMP_NEXT are patched to the block's end. */
#define JUMP_NEXT INT16_MAX

static size_t emit_rule(const struct berth_device_cgroup *d, struct bpf_insn *b, bool *uncond)
{
	size_t k = 0;
	char type = d->type ? d->type : 'a';
	int acc = cg_access_bits(d->access);

	*uncond = type == 'a';
	if (type == 'c')
		b[k++] = JNE_IMM(R2, BPF_DEVCG_DEV_CHAR, JUMP_NEXT);
	else if (type == 'b')
		b[k++] = JNE_IMM(R2, BPF_DEVCG_DEV_BLOCK, JUMP_NEXT);
	if (!*uncond) {
		if (acc != ACC_ALL) {
			/* match when every requested access bit is in the rule */
			b[k++] = MOV32_REG(R1, R3);
			b[k++] = ALU32_IMM(BPF_AND, R1, acc);
			b[k++] = JNE_REG(R1, R3, JUMP_NEXT);
		}
		if (d->has_major && d->major >= 0)
			b[k++] = JNE_IMM(R4, (int32_t)d->major, JUMP_NEXT);
		if (d->has_minor && d->minor >= 0)
			b[k++] = JNE_IMM(R5, (int32_t)d->minor, JUMP_NEXT);
	}
	b[k++] = MOV64_IMM(R0, d->allow ? 1 : 0);
	b[k++] = EXIT();
	for (size_t i = 0; i < k; i++)
		if (b[i].off == JUMP_NEXT)
			b[i].off = (int16_t)(k - i - 1);
	return k;
}

int cg_bpf_devices_build(const struct berth_device_cgroup *rules, size_t n, struct bpf_insn **insns,
			 size_t *n_insns, struct berth_error *err)
{
	/* prologue 6 + at most 9 per rule + epilogue 2 */
	size_t cap = 8 + 9 * n, k = 0;
	struct bpf_insn *p = calloc(cap, sizeof(*p));
	bool uncond = false;

	if (!p)
		return berr_sys(err, ENOMEM, "build device program");
	for (size_t i = 0; i < n; i++) {
		if (rules[i].type && rules[i].type != 'a' && rules[i].type != 'c' &&
		    rules[i].type != 'b') {
			free(p);
			return berr_set(err, "devices[%zu].type: invalid '%c'", i, rules[i].type);
		}
		if (cg_access_bits(rules[i].access) < 0) {
			free(p);
			return berr_set(err, "devices[%zu].access: invalid \"%s\"", i,
					rules[i].access);
		}
	}
	p[k++] = LDX_W(R2, R1, 0);
	p[k++] = ALU32_IMM(BPF_AND, R2, 0xffff);
	p[k++] = LDX_W(R3, R1, 0);
	p[k++] = ALU32_IMM(BPF_RSH, R3, 16);
	p[k++] = LDX_W(R4, R1, 4);
	p[k++] = LDX_W(R5, R1, 8);
	/* last rule wins: test from the end; an "a" rule ends the program, since
	 * the verifier rejects unreachable instructions after it */
	for (size_t i = n; i > 0 && !uncond; i--)
		k += emit_rule(&rules[i - 1], p + k, &uncond);
	if (!uncond) {
		p[k++] = MOV64_IMM(R0, 0);
		p[k++] = EXIT();
	}
	*insns = p;
	*n_insns = k;
	return 0;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load(const struct bpf_insn *insns, size_t n, struct berth_error *err)
{
	union bpf_attr attr;
	char log[4096] = "";
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uint64_t)(uintptr_t) "Apache";
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	if (errno == EACCES || errno == EINVAL) {
		/* run again with the verifier log, for the message */
		int saved = errno;

		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		fd = sys_bpf(BPF_PROG_LOAD, &attr);
		if (fd >= 0)
			return fd;
		log[sizeof(log) - 1] = '\0';
		return berr_sys(err, saved, "load device eBPF program (verifier: %.200s)", log);
	}
	return berr_sys(err, errno, "load device eBPF program");
}

/* IDs of the device programs attached to the cgroup now. */
static int query(int cgfd, uint32_t *ids, uint32_t *n)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)cgfd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = *n;
	if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
		return -1;
	*n = attr.query.prog_cnt;
	return 0;
}

static int detach_id(int cgfd, uint32_t id)
{
	union bpf_attr attr;
	_cleanup_close_ int fd = -1;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
	if (fd < 0)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgfd;
	attr.attach_bpf_fd = (uint32_t)fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	return sys_bpf(BPF_PROG_DETACH, &attr);
}

int cg_bpf_devices_apply(int cgfd, const struct berth_device_cgroup *rules, size_t n,
			 struct berth_error *err)
{
	_cleanup_free_ struct bpf_insn *insns = NULL;
	_cleanup_close_ int prog = -1;
	uint32_t old[64];
	uint32_t n_old = 64;
	union bpf_attr attr;
	size_t n_insns;

	if (cg_bpf_devices_build(rules, n, &insns, &n_insns, err) < 0)
		return -1;
	prog = load(insns, n_insns, err);
	if (prog < 0)
		return -1;
	if (query(cgfd, old, &n_old) < 0)
		n_old = 0;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgfd;
	attr.attach_bpf_fd = (uint32_t)prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0) {
		/* a program attached without ALLOW_MULTI can only be replaced */
		attr.attach_flags = 0;
		if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
			return berr_sys(err, errno, "attach device eBPF program");
		return 0;
	}
	/* the new program is in place: only now drop the old ones, so the
	 * cgroup is never without a device policy */
	for (uint32_t i = 0; i < n_old && i < 64; i++)
		if (detach_id(cgfd, old[i]) < 0)
			log_debug("detach old device program %u: %m", old[i]);
	return 0;
}
