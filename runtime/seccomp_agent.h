/* seccomp_agent.h - the message a seccomp agent (linux.seccomp.listenerPath)
 * receives with the notify fd: the runtime-spec's "container process state"
 * {"ociVersion","fds":["seccompFd"],"pid","metadata","state"}.
 *
 * Built here, above the library, which only carries the bytes and the fd
 * (seccomp_notify_forward/send). */
#ifndef BERTH_SECCOMP_AGENT_H
#define BERTH_SECCOMP_AGENT_H

#include <sys/types.h>

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* state_json is the container's OCI state document; its ociVersion is
 * reused. pid is the process the filter is on. Compact JSON; free() it.
 * NULL with err filled when state_json is not an object or memory runs
 * out. */
char *seccomp_agent_message(const struct berth_seccomp *s, pid_t pid, const char *state_json,
			    struct berth_error *err);

#endif
