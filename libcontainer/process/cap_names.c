/* cap_names.c - the capability name table (sorted by name, binary
 * searched) and the running kernel's last capability.
 *
 * Numbers are kernel ABI and written out, so the table does not depend on
 * how new the build host's headers are. Never accept a lower-case or
 * numeric name: config.json says "CAP_KILL". */
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "cap_names.h"

const struct cap_name cap_name_table[] = {
    {"CAP_AUDIT_CONTROL", 30},	{"CAP_AUDIT_READ", 37},	  {"CAP_AUDIT_WRITE", 29},
    {"CAP_BLOCK_SUSPEND", 36},	{"CAP_BPF", 39},	  {"CAP_CHECKPOINT_RESTORE", 40},
    {"CAP_CHOWN", 0},		{"CAP_DAC_OVERRIDE", 1},  {"CAP_DAC_READ_SEARCH", 2},
    {"CAP_FOWNER", 3},		{"CAP_FSETID", 4},	  {"CAP_IPC_LOCK", 14},
    {"CAP_IPC_OWNER", 15},	{"CAP_KILL", 5},	  {"CAP_LEASE", 28},
    {"CAP_LINUX_IMMUTABLE", 9}, {"CAP_MAC_ADMIN", 33},	  {"CAP_MAC_OVERRIDE", 32},
    {"CAP_MKNOD", 27},		{"CAP_NET_ADMIN", 12},	  {"CAP_NET_BIND_SERVICE", 10},
    {"CAP_NET_BROADCAST", 11},	{"CAP_NET_RAW", 13},	  {"CAP_PERFMON", 38},
    {"CAP_SETFCAP", 31},	{"CAP_SETGID", 6},	  {"CAP_SETPCAP", 8},
    {"CAP_SETUID", 7},		{"CAP_SYSLOG", 34},	  {"CAP_SYS_ADMIN", 21},
    {"CAP_SYS_BOOT", 22},	{"CAP_SYS_CHROOT", 18},	  {"CAP_SYS_MODULE", 16},
    {"CAP_SYS_NICE", 23},	{"CAP_SYS_PACCT", 20},	  {"CAP_SYS_PTRACE", 19},
    {"CAP_SYS_RAWIO", 17},	{"CAP_SYS_RESOURCE", 24}, {"CAP_SYS_TIME", 25},
    {"CAP_SYS_TTY_CONFIG", 26}, {"CAP_WAKE_ALARM", 35},
};
const size_t cap_name_table_len = sizeof(cap_name_table) / sizeof(cap_name_table[0]);

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cap_name *)elem)->name);
}

int cap_from_name_checked(const char *name, int *cap)
{
	const struct cap_name *e =
	    bsearch(name, cap_name_table, cap_name_table_len, sizeof(*e), by_name);
	if (!e)
		return -1;
	*cap = e->value;
	return 0;
}

const char *cap_name_of(int cap)
{
	for (size_t i = 0; i < cap_name_table_len; i++)
		if (cap_name_table[i].value == cap)
			return cap_name_table[i].name;
	return NULL;
}

int cap_last_supported(void)
{
	/* libcap asks the kernel (cap_last_cap, or by probing). */
	return (int)cap_max_bits() - 1;
}
