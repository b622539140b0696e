/* checkpoint.c - `berth checkpoint`: runc's flags, then runtime_checkpoint(). */
#include <string.h>

#include "cli.h"
#include "criu_flags.h"
#include "runtime/checkpoint.h"

static int run_checkpoint(const struct cli_globals *g, int argc, char **argv,
			  struct berth_error *err)
{
	static const struct option opts[] = {
	    CLI_CRIU_OPTIONS,
	    {"parent-path", required_argument, NULL, 'P'},
	    {"leave-running", no_argument, NULL, 'R'},
	    {"lazy-pages", no_argument, NULL, 'L'},
	    {"status-fd", required_argument, NULL, 'S'},
	    {"page-server", required_argument, NULL, 'g'},
	    {"pre-dump", no_argument, NULL, 'D'},
	    {NULL, 0, NULL, 0},
	};
	struct checkpoint_opts o = {.status_fd = -1};
	struct runtime_opts ro;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "", opts)) != -1) {
		rc = cli_criu_option(&cli_cmd_checkpoint, c, &o.f, err);
		if (rc < 0)
			return rc == -2 ? -1 : CLI_EXIT_USAGE;
		if (rc > 0)
			continue;
		switch (c) {
		case 'P':
			o.parent_path = optarg;
			break;
		case 'R':
			o.leave_running = true;
			break;
		case 'L':
			o.f.lazy_pages = true;
			break;
		case 'S':
			if (cli_parse_uint(optarg, &o.status_fd) < 0)
				return cli_usage_error(&cli_cmd_checkpoint,
						       "--status-fd needs a number");
			break;
		case 'g':
			return berr_set(err, "--page-server is not supported");
		case 'D':
			o.pre_dump = true;
			break;
		case ':':
			return cli_usage_error(&cli_cmd_checkpoint, "flag needs an argument");
		default:
			return cli_usage_error(&cli_cmd_checkpoint,
					       "flag provided but not defined");
		}
	}
	rc = cli_require_args(&cli_cmd_checkpoint, argc, 1, "<container-id>");
	if (rc)
		return -rc;
	o.id = argv[optind];
	cli_runtime_opts(g, &ro);
	return runtime_checkpoint(&ro, &o, err) < 0 ? -1 : 0;
}

const struct cli_command cli_cmd_checkpoint = {
    .name = "checkpoint",
    .run = run_checkpoint,
    .usage = "checkpoint [command options] <container-id>",
    .summary = "checkpoint a running container",
    .options =
	"   --image-path value           path for saving criu image files\n"
	"   --work-path value            path for saving work files and logs\n"
	"   --parent-path value          path for previous criu image files in pre-dump\n"
	"   --leave-running              leave the process running after checkpointing\n"
	"   --tcp-established            allow open tcp connections\n"
	"   --ext-unix-sk                allow external unix sockets\n"
	"   --shell-job                  allow shell jobs\n"
	"   --lazy-pages                 use userfaultfd to lazily restore memory pages\n"
	"   --status-fd value            criu writes \\0 to this FD once lazy-pages is ready\n"
	"   --file-locks                 handle file locks, for safety\n"
	"   --pre-dump                   dump container's memory information only, leave the "
	"container running after this\n"
	"   --manage-cgroups-mode value  cgroups mode: 'soft' (default), 'full' and 'strict'\n"
	"   --empty-ns value             create a namespace, but don't restore its properties\n"
	"   --auto-dedup                 enable auto deduplication of memory images\n",
};
