/* cli.c - option parsing and usage helpers shared by the command files. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/process/process.h"
#include "runtime/lifecycle.h"

int cli_usage_error(const struct cli_command *cmd, const char *why)
{
	fprintf(stderr, "Incorrect Usage: %s\n\nUsage: berth %s\n%s", why, cmd->usage,
		cmd->options ? cmd->options : "");
	return CLI_EXIT_USAGE;
}

int cli_print_help(const struct cli_command *cmd)
{
	printf("NAME:\n   berth %s - %s\n\nUSAGE:\n   berth %s\n", cmd->name, cmd->summary,
	       cmd->usage);
	if (cmd->options)
		printf("\nOPTIONS:\n%s", cmd->options);
	return 0;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	/* "+" stops at the first non-option: the container ID, then its args. */
	char spec[64];

	snprintf(spec, sizeof(spec), "+:%s", shortopts);
	return getopt_long_only(argc, argv, spec, longopts, NULL);
}

int cli_require_args(const struct cli_command *cmd, int argc, int n, const char *names)
{
	char why[256];

	if (argc - optind == n)
		return 0;
	snprintf(why, sizeof(why), "\"%s\" requires exactly %d argument(s): %s", cmd->name, n,
		 names);
	return -cli_usage_error(cmd, why);
}

int cli_parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "t") || !strcmp(s, "TRUE")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "f") || !strcmp(s, "FALSE")) {
		*out = false;
		return 0;
	}
	fprintf(stderr, "berth: invalid boolean value %s\n", s);
	return -1;
}

void cli_runtime_opts(const struct cli_globals *g, struct runtime_opts *ro)
{
	ro->root = g->root;
	cli_cgroup_manager(g, &ro->cgroup_manager, NULL);
	ro->criu = g->criu;
	ro->systemd_cgroup = g->systemd_cgroup;
	ro->argv = g->self_argv;
	ro->nested_userns = userns_is_nested(); /* read once per command */
	if (g->rootless && strcmp(g->rootless, "auto") != 0)
		ro->rootless = strcmp(g->rootless, "true") == 0;
	else
		ro->rootless = geteuid() != 0 || ro->nested_userns;
}

int cli_cgroup_manager(const struct cli_globals *g, enum cgroup_manager_kind *out,
		       struct berth_error *err)
{
	const char *v = g->cgroup_manager;

	*out = g->systemd_cgroup ? CGROUP_MANAGER_SYSTEMD : CGROUP_MANAGER_CGROUPFS;
	if (!v || !*v || strcmp(v, "cgroupfs") == 0)
		return 0;
	if (strcmp(v, "systemd") == 0)
		*out = CGROUP_MANAGER_SYSTEMD;
	else if (strcmp(v, "disabled") == 0)
		*out = CGROUP_MANAGER_DISABLED;
	else
		return berr_set(err,
				"--cgroup-manager: unknown value \"%s\" (cgroupfs, systemd or "
				"disabled)",
				v);
	return 0;
}

int cli_parse_uint(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 1 << 20)
		return -1;
	*out = (int)v;
	return 0;
}

int cli_check_preserved_fds(int n, struct berth_error *err)
{
	for (int fd = 3; fd < 3 + n; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			return berr_sys(err, errno, "--preserve-fds %d: fd %d", n, fd);
	return 0;
}
