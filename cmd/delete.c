/* delete.c - `berth delete [-f] ID`. */
#include "cli.h"
#include "runtime/lifecycle.h"

static int run_delete(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
	struct runtime_opts ro;
	bool force = false;
	int c;

	while ((c = cli_getopt(argc, argv, "f", opts)) != -1) {
		if (c == 'f')
			force = true;
		else
			return cli_usage_error(&cli_cmd_delete, "flag provided but not defined");
	}
	if (argc - optind != 1)
		return cli_usage_error(&cli_cmd_delete, "exactly one container id is required");
	cli_runtime_opts(g, &ro);
	return runtime_delete(&ro, argv[optind], force, err) < 0 ? -1 : 0;
}

const struct cli_command cli_cmd_delete = {
    .name = "delete",
    .run = run_delete,
    .usage = "delete [command options] <container-id>",
    .summary = "delete any resources held by the container",
    .options = "   --force, -f  forcibly deletes the container if it is still running (uses "
	       "SIGKILL)\n",
};
