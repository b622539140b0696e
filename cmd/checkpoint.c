/* checkpoint.c - the `berth checkpoint` command (not built yet). */
#include "cli.h"

static int run_checkpoint(const struct cli_globals *g, int argc, char **argv,
			  struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "checkpoint: not implemented");
}

const struct cli_command cli_cmd_checkpoint = {
    .name = "checkpoint",
    .run = run_checkpoint,
    .usage = "checkpoint",
    .summary = "checkpoint",
    .options = NULL,
};
