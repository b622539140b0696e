/* kill.c - `berth kill [--all] ID [SIGNAL]`. */
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "runtime/lifecycle.h"

static int run_kill(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
	struct runtime_opts ro;
	bool all = false;
	int sig = SIGTERM, c;

	while ((c = cli_getopt(argc, argv, "a", opts)) != -1) {
		if (c == 'a')
			all = true;
		else
			return cli_usage_error(&cli_cmd_kill, "flag provided but not defined");
	}
	if (argc - optind < 1 || argc - optind > 2)
		return cli_usage_error(&cli_cmd_kill, "requires a container id and an optional "
						      "signal");
	if (argc - optind == 2 && signal_parse(argv[optind + 1], &sig) < 0)
		return berr_set(err, "unknown signal \"%s\"", argv[optind + 1]);
	cli_runtime_opts(g, &ro);
	return runtime_kill(&ro, argv[optind], sig, all, err) < 0 ? -1 : 0;
}

const struct cli_command cli_cmd_kill = {
    .name = "kill",
    .run = run_kill,
    .usage = "kill [command options] <container-id> [signal]",
    .summary = "kill sends the specified signal (default: SIGTERM) to the container's init "
	       "process",
    .options = "   --all, -a  send the specified signal to all processes inside the container\n",
};
