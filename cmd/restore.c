/* restore.c - `berth restore`: runc's flags, then runtime_restore(). */
#include "cli.h"
#include "criu_flags.h"
#include "runtime/checkpoint.h"

static int run_restore(const struct cli_globals *g, int argc, char **argv, struct berth_error *err)
{
	static const struct option opts[] = {
	    CLI_CRIU_OPTIONS,
	    {"bundle", required_argument, NULL, 'b'},
	    {"console-socket", required_argument, NULL, 'c'},
	    {"detach", no_argument, NULL, 'd'},
	    {"pid-file", required_argument, NULL, 'p'},
	    {"no-subreaper", no_argument, NULL, 'N'},
	    {"no-pivot", no_argument, NULL, 'P'},
	    {"lazy-pages", no_argument, NULL, 'L'},
	    {"lsm-profile", required_argument, NULL, 'l'},
	    {"lsm-mount-context", required_argument, NULL, 'm'},
	    {NULL, 0, NULL, 0},
	};
	struct restore_opts o = {0};
	struct runtime_opts ro;
	int c, rc;

	while ((c = cli_getopt(argc, argv, "b:d", opts)) != -1) {
		rc = cli_criu_option(&cli_cmd_restore, c, &o.f, err);
		if (rc < 0)
			return rc == -2 ? -1 : CLI_EXIT_USAGE;
		if (rc > 0)
			continue;
		switch (c) {
		case 'b':
			o.c.bundle = optarg;
			break;
		case 'c':
			o.c.console_socket = optarg;
			break;
		case 'd':
			o.detach = true;
			break;
		case 'p':
			o.c.pid_file = optarg;
			break;
		case 'N': /* berth reaps its own child; accepted for runc */
			break;
		case 'P':
			o.c.no_pivot = true; /* CRIU rebuilds the mount tree itself */
			break;
		case 'L':
			o.f.lazy_pages = true;
			break;
		case 'l':
			o.lsm_profile = optarg;
			break;
		case 'm':
			o.lsm_mount_context = optarg;
			break;
		case ':':
			return cli_usage_error(&cli_cmd_restore, "flag needs an argument");
		default:
			return cli_usage_error(&cli_cmd_restore, "flag provided but not defined");
		}
	}
	rc = cli_require_args(&cli_cmd_restore, argc, 1, "<container-id>");
	if (rc)
		return -rc;
	o.c.id = argv[optind];
	cli_runtime_opts(g, &ro);
	if (cli_cgroup_manager(g, &ro.cgroup_manager, err) < 0)
		return -1;
	return runtime_restore(&ro, &o, err);
}

const struct cli_command cli_cmd_restore = {
    .name = "restore",
    .run = run_restore,
    .usage = "restore [command options] <container-id>",
    .summary = "restore a container from a previous checkpoint",
    .options =
	"   --console-socket value       path to an AF_UNIX socket which will receive a file "
	"descriptor referencing the master end of the console's pseudoterminal\n"
	"   --image-path value           path to criu image files for restoring\n"
	"   --work-path value            path for saving work files and logs\n"
	"   --tcp-established            allow open tcp connections\n"
	"   --ext-unix-sk                allow external unix sockets\n"
	"   --shell-job                  allow shell jobs\n"
	"   --file-locks                 handle file locks, for safety\n"
	"   --manage-cgroups-mode value  cgroups mode: 'soft' (default), 'full' and 'strict'\n"
	"   --bundle value, -b value     path to the root of the bundle directory\n"
	"   --detach, -d                 detach from the container's process\n"
	"   --pid-file value             specify the file to write the process id to\n"
	"   --no-subreaper               accepted for runc compatibility (berth reaps its own "
	"child)\n"
	"   --no-pivot                   accepted for runc compatibility (CRIU builds the mount "
	"tree)\n"
	"   --empty-ns value             create a namespace, but don't restore its properties\n"
	"   --auto-dedup                 enable auto deduplication of memory images\n"
	"   --lazy-pages                 use userfaultfd to lazily restore memory pages\n"
	"   --lsm-profile value          Specify an LSM profile to be used during restore in the "
	"form of TYPE:NAME.\n"
	"   --lsm-mount-context value    Specify an LSM mount context to be used during "
	"restore.\n",
};
