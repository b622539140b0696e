/* criu_flags.c - parsing the flags `checkpoint` and `restore` share. */
#include <getopt.h>

#include "criu_flags.h"

int cli_criu_option(const struct cli_command *cmd, int c, struct criu_flags *f,
		    struct berth_error *err)
{
	switch (c) {
	case 0x100:
		f->image_path = optarg;
		return 1;
	case 0x101:
		f->work_path = optarg;
		return 1;
	case 0x102:
		f->tcp_established = true;
		return 1;
	case 0x103:
		f->ext_unix_sk = true;
		return 1;
	case 0x104:
		f->shell_job = true;
		return 1;
	case 0x105:
		f->file_locks = true;
		return 1;
	case 0x106:
		if (criu_parse_cg_mode(optarg) < 0) {
			berr_set(err, "Invalid manage cgroups mode");
			return -2;
		}
		f->manage_cgroups_mode = optarg;
		return 1;
	case 0x107:
		if (criu_parse_empty_ns(optarg, &f->empty_ns, err) < 0)
			return -2;
		return 1;
	case 0x108:
		f->auto_dedup = true;
		return 1;
	}
	(void)cmd;
	return 0;
}
