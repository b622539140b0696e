/* encode.c - struct criu_request -> CRIU's protobuf criu_req, packed.
 *
 * The fds the request names are given here as the numbers they will have
 * in the criu process (see swrk.c's fd layout), not berth's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "rpc.pb-c.h"

static CriuReqType req_type(enum criu_action a)
{
	switch (a) {
	case CRIU_ACTION_DUMP:
		return CRIU_REQ_TYPE__DUMP;
	case CRIU_ACTION_PRE_DUMP:
		return CRIU_REQ_TYPE__PRE_DUMP;
	case CRIU_ACTION_RESTORE:
		return CRIU_REQ_TYPE__RESTORE;
	case CRIU_ACTION_CHECK:
		break;
	}
	return CRIU_REQ_TYPE__CHECK;
}

#define SET(field, value)                                                                          \
	do {                                                                                       \
		o->has_##field = 1;                                                                \
		o->field = (value);                                                                \
	} while (0)

/* Booleans are sent only when true: CRIU's defaults are all false. */
#define SET_TRUE(field)                                                                            \
	do {                                                                                       \
		if (r->field)                                                                      \
			SET(field, 1);                                                             \
	} while (0)

static void set_flags(CriuOpts *o, const struct criu_request *r)
{
	SET_TRUE(leave_running);
	SET_TRUE(tcp_established);
	SET_TRUE(ext_unix_sk);
	SET_TRUE(shell_job);
	SET_TRUE(file_locks);
	SET_TRUE(lazy_pages);
	SET_TRUE(auto_dedup);
	SET_TRUE(track_mem);
	SET_TRUE(orphan_pts_master);
	SET_TRUE(evasive_devices);
	SET_TRUE(rst_sibling);
	SET_TRUE(manage_cgroups);
	if (r->action != CRIU_ACTION_CHECK)
		SET(notify_scripts, 1);
	if (r->empty_ns)
		SET(empty_ns, r->empty_ns);
	if (r->cg_mode != CRIU_CG_UNSET)
		SET(manage_cgroups_mode, (CriuCgMode)r->cg_mode);
}

static void set_strings(CriuOpts *o, const struct criu_request *r)
{
	o->log_file = r->log_file;
	o->parent_img = r->parent_img;
	o->root = r->root;
	o->freeze_cgroup = r->freeze_cgroup;
	o->lsm_profile = r->lsm_profile;
	o->lsm_mount_context = r->lsm_mount_context;
	o->n_external = r->n_external;
	o->external = r->external;
}

/* Everything the packed request points to, freed after packing. */
struct req_mem {
	ExtMountMap *mnt;
	ExtMountMap **mntp;
	InheritFd *inh;
	InheritFd **inhp;
	JoinNamespace *jns;
	JoinNamespace **jnsp;
	CgroupRoot cg;
	CgroupRoot *cgp;
	CriuPageServerInfo ps;
};

static void req_mem_free(struct req_mem *m)
{
	free(m->mnt);
	free(m->mntp);
	free(m->inh);
	free(m->inhp);
	free(m->jns);
	free(m->jnsp);
}

static int set_lists(CriuOpts *o, const struct criu_request *r, const struct criu_fd_layout *fds,
		     struct req_mem *m)
{
	m->mnt = calloc(r->n_ext_mnt + 1, sizeof(*m->mnt));
	m->mntp = calloc(r->n_ext_mnt + 1, sizeof(*m->mntp));
	m->inh = calloc(r->n_inherit + 1, sizeof(*m->inh));
	m->inhp = calloc(r->n_inherit + 1, sizeof(*m->inhp));
	m->jns = calloc(r->n_join_ns + 1, sizeof(*m->jns));
	m->jnsp = calloc(r->n_join_ns + 1, sizeof(*m->jnsp));
	if (!m->mnt || !m->mntp || !m->inh || !m->inhp || !m->jns || !m->jnsp)
		return -1;
	for (size_t i = 0; i < r->n_ext_mnt; i++) {
		ext_mount_map__init(&m->mnt[i]);
		m->mnt[i].key = r->ext_mnt[i].key;
		m->mnt[i].val = r->ext_mnt[i].val;
		m->mntp[i] = &m->mnt[i];
	}
	o->n_ext_mnt = r->n_ext_mnt;
	o->ext_mnt = m->mntp;
	for (size_t i = 0; i < r->n_inherit; i++) {
		inherit_fd__init(&m->inh[i]);
		m->inh[i].key = r->inherit[i].key;
		m->inh[i].fd = fds->inherit_first + (int)i;
		m->inhp[i] = &m->inh[i];
	}
	o->n_inherit_fd = r->n_inherit;
	o->inherit_fd = m->inhp;
	for (size_t i = 0; i < r->n_join_ns; i++) {
		join_namespace__init(&m->jns[i]);
		m->jns[i].ns = r->join_ns[i].key;
		m->jns[i].ns_file = r->join_ns[i].val;
		m->jnsp[i] = &m->jns[i];
	}
	o->n_join_ns = r->n_join_ns;
	o->join_ns = m->jnsp;
	if (r->ps_address && r->ps_port) {
		criu_page_server_info__init(&m->ps);
		m->ps.address = r->ps_address;
		m->ps.has_port = 1;
		m->ps.port = r->ps_port;
		o->ps = &m->ps;
	}
	if (r->cg_root) {
		cgroup_root__init(&m->cg);
		m->cg.path = r->cg_root;
		m->cgp = &m->cg;
		o->n_cg_root = 1;
		o->cg_root = &m->cgp;
	}
	return 0;
}

int criu_encode_request(const struct criu_request *r, const struct criu_fd_layout *fds,
			uint8_t **buf, size_t *len, struct berth_error *err)
{
	CriuReq req = CRIU_REQ__INIT;
	CriuOpts o = CRIU_OPTS__INIT;
	struct req_mem m = {0};
	int rc = 0;

	req.type = req_type(r->action);
	if (r->action != CRIU_ACTION_CHECK) {
		o.images_dir_fd = fds->images_dir;
		if (fds->work_dir >= 0) {
			o.has_work_dir_fd = 1;
			o.work_dir_fd = fds->work_dir;
		}
		/* CRIU's most detailed log: the log file is what users read on failure. */
		o.has_log_level = 1;
		o.log_level = 4;
		if (r->pid > 0) {
			o.has_pid = 1;
			o.pid = r->pid;
		}
		if (fds->status >= 0) {
			o.has_status_fd = 1;
			o.status_fd = fds->status;
		}
		set_flags(&o, r);
		set_strings(&o, r);
		if (set_lists(&o, r, fds, &m) < 0) {
			req_mem_free(&m);
			return berr_sys(err, ENOMEM, "criu request");
		}
		req.opts = &o;
	}
	*len = criu_req__get_packed_size(&req);
	*buf = malloc(*len ? *len : 1);
	if (!*buf)
		rc = berr_sys(err, ENOMEM, "criu request");
	else
		criu_req__pack(&req, *buf);
	req_mem_free(&m);
	return rc;
}

int criu_encode_notify_ack(bool success, uint8_t **buf, size_t *len, struct berth_error *err)
{
	CriuReq req = CRIU_REQ__INIT;

	req.type = CRIU_REQ_TYPE__NOTIFY;
	req.has_notify_success = 1;
	req.notify_success = success;
	*len = criu_req__get_packed_size(&req);
	*buf = malloc(*len ? *len : 1);
	if (!*buf)
		return berr_sys(err, ENOMEM, "criu request");
	criu_req__pack(&req, *buf);
	return 0;
}

const char *criu_action_name(enum criu_action a)
{
	switch (a) {
	case CRIU_ACTION_DUMP:
		return "DUMP";
	case CRIU_ACTION_PRE_DUMP:
		return "PRE_DUMP";
	case CRIU_ACTION_RESTORE:
		return "RESTORE";
	case CRIU_ACTION_CHECK:
		break;
	}
	return "CHECK";
}
