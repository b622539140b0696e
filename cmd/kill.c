/* kill.c - the `berth kill` command (not built yet). */
#include "cli.h"

static int run_kill(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "kill: not implemented");
}

const struct cli_command cli_cmd_kill = {
    .name = "kill",
    .run = run_kill,
    .usage = "kill",
    .summary = "kill",
    .options = NULL,
};
