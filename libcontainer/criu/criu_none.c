/* criu_none.c - criu.h for a berth built without protobuf-c (meson
 * option criu=disabled, or the libraries missing): every request fails. */
#include "criu.h"

bool criu_built_in(void)
{
	return false;
}

int criu_run(const struct criu_request *r, const int stdio[3], criu_spawned_fn spawned,
	     criu_notify_fn notify, void *ctx, const char *log_path, struct criu_result *out,
	     struct berth_error *err)
{
	(void)r, (void)stdio, (void)spawned, (void)notify, (void)ctx, (void)log_path, (void)out;
	return berr_set(err, "berth was built without CRIU support (protobuf-c)");
}

int criu_check(struct berth_error *err)
{
	return berr_set(err, "berth was built without CRIU support (protobuf-c)");
}
