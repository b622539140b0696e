/* hooks.h - the hook runner: run one list of OCI hooks (prestart,
 * createRuntime, ...). The init calls it for createContainer and
 * startContainer, runtime/ for the kinds that run outside the container.
 *
 * Each hook is a program run in the runtime's namespaces with the container
 * state document on its stdin, its args and env exactly as configured (no
 * environment inherited from berth; a startContainer hook without "env"
 * gets the container process's, see hooks_run_env) and no fd of berth's
 * beyond stdio.
 * Hooks run in order; the first failure stops the list. This module only
 * runs hooks: it decides nothing about which kinds run when, nor whether a
 * failure is fatal (poststart/poststop only warn), nor what the state
 * document says (runtime/ renders it), and never prints. */
#ifndef BERTH_HOOKS_H
#define BERTH_HOOKS_H

#include "libcontainer/config/config.h"
#include "libcontainer/error.h"

/* Run every hook of `l` in order, each with `state_json` on stdin. `kind`
 * names the list in messages ("createRuntime"). A hook that runs past its
 * `timeout` is killed and fails with "<kind> hook <path>: timed out after
 * N s"; a non-zero exit fails with "<kind> hook <path>: exited with status
 * N: <the end of its stderr>". The hook's stdout is captured and only
 * logged at debug level, so it can never corrupt berth's own output.
 * Returns 0 when all succeeded (or the list is empty). */
int hooks_run(const struct berth_hook_list *l, const char *kind, const char *state_json,
	      struct berth_error *err);
/* The same, for the hooks run in the container under its seccomp filter
 * (startContainer): a hook without an "env" key gets `default_env` (NULL-
 * terminated), the process's environment, as runc runs them; and with a
 * non-NULL `default_env` only long-standing syscalls are used (no
 * pidfd_open, no close_range: a profile may kill for them). */
int hooks_run_env(const struct berth_hook_list *l, const char *kind, const char *state_json,
		  char *const *default_env, struct berth_error *err);

#endif
