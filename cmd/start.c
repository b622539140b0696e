/* start.c - `berth start`: run the process of a created container. */
#include "cli.h"
#include "runtime/lifecycle.h"

static int run_start(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	struct runtime_opts ro;

	if (cli_getopt(argc, argv, "", (const struct option[]){{NULL, 0, NULL, 0}}) != -1 ||
	    argc - optind != 1)
		return cli_usage_error(&cli_cmd_start, "exactly one container id is required");
	cli_runtime_opts(g, &ro);
	return runtime_start(&ro, argv[optind], err) < 0 ? -1 : 0;
}

const struct cli_command cli_cmd_start = {
    .name = "start",
    .run = run_start,
    .usage = "start <container-id>",
    .summary = "executes the user defined process in a created container",
    .options = NULL,
};
