/* request.c - building a struct criu_request: the plain-C description of
 * one CRIU RPC request, with the lists it grows. No protobuf here. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "criu.h"

void criu_request_init(struct criu_request *r, enum criu_action action)
{
	memset(r, 0, sizeof(*r));
	r->action = action;
	r->images_dir_fd = -1;
	r->work_dir_fd = -1;
	r->status_fd = -1;
	r->cg_mode = CRIU_CG_UNSET;
}

static void free_kvs(struct criu_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

void criu_request_free(struct criu_request *r)
{
	free(r->log_file);
	free(r->parent_img);
	free(r->root);
	free(r->freeze_cgroup);
	free(r->cg_root);
	free(r->lsm_profile);
	free(r->lsm_mount_context);
	free(r->ps_address);
	free_kvs(r->ext_mnt, r->n_ext_mnt);
	free_kvs(r->join_ns, r->n_join_ns);
	for (size_t i = 0; i < r->n_external; i++)
		free(r->external[i]);
	free(r->external);
	for (size_t i = 0; i < r->n_inherit; i++)
		free(r->inherit[i].key);
	free(r->inherit);
	for (size_t i = 0; i < r->n_owned_fds; i++)
		close(r->owned_fds[i]);
	memset(r, 0, sizeof(*r));
}

static int add_kv(struct criu_kv **list, size_t *n, const char *key, const char *val,
		  struct berth_error *err)
{
	struct criu_kv *l = realloc(*list, (*n + 1) * sizeof(**list));

	if (!l)
		return berr_sys(err, ENOMEM, "criu request");
	*list = l;
	l[*n].key = strdup(key);
	l[*n].val = strdup(val);
	if (!l[*n].key || !l[*n].val) {
		free(l[*n].key);
		free(l[*n].val);
		return berr_sys(err, ENOMEM, "criu request");
	}
	(*n)++;
	return 0;
}

int criu_request_add_ext_mnt(struct criu_request *r, const char *key, const char *val,
			     struct berth_error *err)
{
	/* The same mount point twice would make CRIU refuse the request. */
	for (size_t i = 0; i < r->n_ext_mnt; i++)
		if (strcmp(r->ext_mnt[i].key, key) == 0)
			return 0;
	return add_kv(&r->ext_mnt, &r->n_ext_mnt, key, val, err);
}

int criu_request_add_join_ns(struct criu_request *r, const char *ns, const char *file,
			     struct berth_error *err)
{
	return add_kv(&r->join_ns, &r->n_join_ns, ns, file, err);
}

int criu_request_add_external(struct criu_request *r, const char *spec, struct berth_error *err)
{
	char **l = realloc(r->external, (r->n_external + 1) * sizeof(*l));

	if (!l)
		return berr_sys(err, ENOMEM, "criu request");
	r->external = l;
	if (!(l[r->n_external] = strdup(spec)))
		return berr_sys(err, ENOMEM, "criu request");
	r->n_external++;
	return 0;
}

int criu_request_add_inherit(struct criu_request *r, const char *key, int fd,
			     struct berth_error *err)
{
	struct criu_inherit *l = realloc(r->inherit, (r->n_inherit + 1) * sizeof(*l));

	if (!l)
		return berr_sys(err, ENOMEM, "criu request");
	r->inherit = l;
	if (!(l[r->n_inherit].key = strdup(key)))
		return berr_sys(err, ENOMEM, "criu request");
	l[r->n_inherit].fd = fd;
	r->n_inherit++;
	return 0;
}

int criu_request_own_fd(struct criu_request *r, int fd, struct berth_error *err)
{
	if (r->n_owned_fds >= sizeof(r->owned_fds) / sizeof(r->owned_fds[0])) {
		close(fd);
		return berr_set(err, "criu request: too many namespace files");
	}
	r->owned_fds[r->n_owned_fds++] = fd;
	return 0;
}
