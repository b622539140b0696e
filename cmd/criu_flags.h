/* criu_flags.h - the flags `checkpoint` and `restore` share (criu_flags.c). */
#ifndef BERTH_CLI_CRIU_FLAGS_H
#define BERTH_CLI_CRIU_FLAGS_H

#include "cli.h"
#include "runtime/checkpoint.h"

/* Their getopt codes are >= 0x100, clear of every command's own. */
#define CLI_CRIU_OPTIONS                                                                           \
	{"image-path", required_argument, NULL, 0x100},                                            \
	    {"work-path", required_argument, NULL, 0x101},                                         \
	    {"tcp-established", no_argument, NULL, 0x102},                                         \
	    {"ext-unix-sk", no_argument, NULL, 0x103}, {"shell-job", no_argument, NULL, 0x104},    \
	    {"file-locks", no_argument, NULL, 0x105},                                              \
	    {"manage-cgroups-mode", required_argument, NULL, 0x106},                               \
	    {"empty-ns", required_argument, NULL, 0x107},                                          \
	{                                                                                          \
		"auto-dedup", no_argument, NULL, 0x108                                             \
	}

/* Take option `c` when it is one of them: 1 taken, 0 not ours, -1 a usage
 * error (printed), -2 an error in err. */
int cli_criu_option(const struct cli_command *cmd, int c, struct criu_flags *f,
		    struct berth_error *err);

#endif
