/* execpath.c - args[0] lookup in the container's PATH, and the NULL-
 * terminated argv/envp that execve wants. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identity.h"
#include "passwd.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *env_path(const struct berth_process *p)
{
	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], "PATH=", 5) == 0)
			return p->env[i] + 5;
	return DEFAULT_PATH;
}

static bool is_executable(const char *path, int *why, bool *at_stat)
{
	struct stat st;

	*at_stat = false;
	if (stat(path, &st) < 0) {
		*why = errno;
		*at_stat = true;
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = EACCES;
		return false;
	}
	if (access(path, X_OK) < 0) {
		*why = errno;
		return false;
	}
	return true;
}

static char **null_terminated(char **v, size_t n)
{
	char **out = calloc(n + 1, sizeof(char *));

	if (!out)
		return NULL;
	memcpy(out, v, n * sizeof(char *));
	return out;
}

/* "HOME=<dir>" of uid from the container's /etc/passwd (we run after
 * pivot_root or setns): the first entry of uid with a home, "/" when there
 * is none: runc's rule, which images rely on (a shell's ~, a tool's
 * dotfiles). */
static char *home_entry(uint32_t uid)
{
	struct passwd_file pf;
	struct passwd_entry e;
	char *out = NULL;
	bool found = false;

	if (passwd_open(&pf, "/etc/passwd") == 0) {
		while (!found && passwd_next(&pf, &e))
			found = e.uid == uid && *e.home;
		if (found && asprintf(&out, "HOME=%s", e.home) < 0)
			out = NULL;
		passwd_close(&pf);
	}
	if (!found && asprintf(&out, "HOME=/") < 0)
		out = NULL;
	return out;
}

static bool same_name(const char *a, const char *b, size_t klen)
{
	return strncmp(a, b, klen) == 0 && (a[klen] == '=' || a[klen] == '\0');
}

/* The environment execve gets, as runc's init makes it: each name once,
 * with the value of its last occurrence at the place of its first, and
 * HOME from the user's passwd entry when missing or empty. */
static char **build_env(const struct berth_process *p)
{
	char **out = calloc(p->n_env + 2, sizeof(char *));
	size_t n = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < p->n_env; i++) {
		size_t klen = strcspn(p->env[i], "="), j;
		for (j = 0; j < n && !same_name(out[j], p->env[i], klen); j++)
			;
		out[j] = p->env[i];
		if (j == n)
			n++;
	}
	size_t home;
	for (home = 0; home < n && !same_name(out[home], "HOME", 4); home++)
		;
	if (home == n || out[home][4] != '=' || out[home][5] == '\0') {
		out[home] = home_entry(p->user.uid);
		if (!out[home]) {
			free(out);
			return NULL;
		}
	}
	return out;
}

int process_resolve_exec(struct process_ctx *ctx, char *buf, size_t len, struct berth_error *err)
{
	const struct berth_process *p = ctx->proc;
	const char *name;
	int why = ENOENT;

	if (p->n_args == 0 || !p->args[0] || !*p->args[0])
		return berr_set(err, "process.args: must not be empty");
	name = p->args[0];
	ctx->argv = null_terminated(p->args, p->n_args);
	ctx->envp = build_env(p);
	if (!ctx->argv || !ctx->envp)
		return berr_sys(err, ENOMEM, "allocate argv");
	if (strchr(name, '/')) {
		bool at_stat;
		if (!is_executable(name, &why, &at_stat)) {
			/* runc's words, which engines match */
			if (at_stat)
				return berr_sys(err, why, "exec: \"%s\": stat %s", name, name);
			return berr_sys(err, why, "exec: \"%s\"", name);
		}
		snprintf(buf, len, "%s", name);
		ctx->exec_path = buf;
		return 0;
	}
	const char *path = env_path(p);
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t dlen = colon ? (size_t)(colon - path) : strlen(path);
		int w =
		    snprintf(buf, len, "%.*s/%s", (int)(dlen ? dlen : 1), dlen ? path : ".", name);
		if (w > 0 && (size_t)w < len) {
			int e = 0;
			bool at_stat;
			if (is_executable(buf, &e, &at_stat)) {
				ctx->exec_path = buf;
				return 0;
			}
			if (e == EACCES)
				why = EACCES;
		}
		if (!colon)
			break;
		path = colon + 1;
	}
	if (why == EACCES)
		return berr_sys(err, EACCES, "exec: \"%s\"", name);
	return berr_set(err, "exec: \"%s\": executable file not found in $PATH", name);
}
