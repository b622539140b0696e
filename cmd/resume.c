/* resume.c - the `berth resume` command (not built yet). */
#include "cli.h"

static int run_resume(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	(void)g;
	(void)argc;
	(void)argv;
	return berr_set(err, "resume: not implemented");
}

const struct cli_command cli_cmd_resume = {
    .name = "resume",
    .run = run_resume,
    .usage = "resume",
    .summary = "resume",
    .options = NULL,
};
