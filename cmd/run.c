/* run.c - the `berth run` command (not built yet). */
#include "cli.h"

static int run_run(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "run: not implemented");
}

const struct cli_command cli_cmd_run = {
    .name = "run",
    .run = run_run,
    .usage = "run",
    .summary = "run",
    .options = NULL,
};
