/* checkpoint.c - `berth checkpoint`: runc's flags, then runtime_checkpoint(). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "criu_flags.h"
#include "runtime/checkpoint.h"

/* --page-server HOST:PORT or [IPV6]:PORT, split as runc does (Go's
 * net.SplitHostPort, then a decimal port that may be out of range: it is
 * truncated to 32 bits, and port 0 means no page server). */
static int parse_page_server(const char *s, char *host, size_t len, int *port,
			     struct berth_error *err)
{
	const char *h = s, *colon, *end;
	size_t n;

	if (*s == '[') {
		end = strchr(s, ']');
		colon = end ? end + 1 : NULL;
		if (!colon || *colon != ':')
			colon = NULL;
		h = s + 1;
		n = end ? (size_t)(end - h) : 0;
	} else {
		colon = strrchr(s, ':');
		n = colon ? (size_t)(colon - s) : 0;
		if (colon && (memchr(s, ':', n) || strpbrk(s, "[]")))
			colon = NULL;
	}
	if (!colon || n == 0 || !colon[1] || strpbrk(colon + 1, "[]") || n >= len)
		return berr_set(err, "Use --page-server ADDRESS:PORT to specify page server");
	memcpy(host, h, n);
	host[n] = '\0';
	const char *p = colon + 1;
	char *tail;
	errno = 0;
	long long v = strtoll(p, &tail, 10);
	if (!(isdigit((unsigned char)*p) ||
	      ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]))) ||
	    *tail || errno)
		return berr_set(err, "Invalid port number");
	*port = (int32_t)(uint32_t)v;
	return 0;
}

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
	char ps_host[256];
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
			if (parse_page_server(optarg, ps_host, sizeof(ps_host), &o.page_server_port,
					      err) < 0)
				return -1;
			o.page_server_address = ps_host;
			break;
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
	"   --page-server value          ADDRESS:PORT of the page server\n"
	"   --file-locks                 handle file locks, for safety\n"
	"   --pre-dump                   dump container's memory information only, leave the "
	"container running after this\n"
	"   --manage-cgroups-mode value  cgroups mode: 'soft' (default), 'full' and 'strict'\n"
	"   --empty-ns value             create a namespace, but don't restore its properties\n"
	"   --auto-dedup                 enable auto deduplication of memory images\n",
};
