/* exec.c - the `berth exec` command (not built yet). */
#include "cli.h"

static int run_exec(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "exec: not implemented");
}

const struct cli_command cli_cmd_exec = {
    .name = "exec",
    .run = run_exec,
    .usage = "exec",
    .summary = "exec",
    .options = NULL,
};
