/* lsm.h - process.apparmorProfile and process.selinuxLabel: check the
 * host can honour them (parent), set the exec label (child).
 *
 * Never: silently run a container unconfined when a profile or label was
 * asked for; write an LSM attribute through a path string (procfs.h's
 * checked handle only). */
#ifndef BERTH_LSM_H
#define BERTH_LSM_H

#include <stdbool.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* Is the LSM active on this host (also what `berth features` reports). */
bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);

/* Parent side: a non-empty apparmorProfile on a host without AppArmor, or
 * selinuxLabel without SELinux, fails naming the field. Empty or absent:
 * nothing to do. */
int lsm_check(const struct berth_process *p, struct berth_error *err);

/* Child side, right before execve: write the exec label through the
 * verified procfs handle: "exec <profile>" to thread-self/attr/apparmor/exec
 * (thread-self/attr/exec on kernels before 5.8), the SELinux label to
 * thread-self/attr/exec. Takes effect at execve only. procfd may be -1. */
int lsm_apply_exec(const struct berth_process *p, int procfd, struct berth_error *err);

#endif
