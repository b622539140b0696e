/* config_free.c - release everything a parsed struct berth_spec owns.
 *
 * Works on partially filled structs too: the parser frees through here
 * when it stops half way, so every function copes with NULL pointers and
 * zeroed elements. Must stay in step with config.h: a field added there
 * that owns memory is freed here (the ASan unit tests catch a miss). */
#include <stdlib.h>

#include "config_internal.h"

void cfg_free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_kv(struct berth_kv *kv, size_t n)
{
	if (!kv)
		return;
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

void cfg_free_process_fields(struct berth_process *p)
{
	struct berth_capabilities *c = &p->capabilities;

	free(p->user.additional_gids);
	free(p->user.username);
	cfg_free_strv(p->args, p->n_args);
	cfg_free_strv(p->env, p->n_env);
	free(p->cwd);
	cfg_free_strv(c->bounding, c->n_bounding);
	cfg_free_strv(c->effective, c->n_effective);
	cfg_free_strv(c->inheritable, c->n_inheritable);
	cfg_free_strv(c->permitted, c->n_permitted);
	cfg_free_strv(c->ambient, c->n_ambient);
	for (size_t i = 0; i < p->n_rlimits; i++)
		free(p->rlimits[i].type);
	free(p->rlimits);
	free(p->apparmor_profile);
	free(p->selinux_label);
	free(p->io_priority.klass);
	free(p->scheduler.policy);
	cfg_free_strv(p->scheduler.flags, p->scheduler.n_flags);
	free(p->exec_cpu_affinity.initial);
	free(p->exec_cpu_affinity.final);
}

void berth_process_free(struct berth_process *p)
{
	if (!p)
		return;
	cfg_free_process_fields(p);
	free(p);
}

static void free_hook_list(struct berth_hook_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->hooks[i].path);
		cfg_free_strv(l->hooks[i].args, l->hooks[i].n_args);
		cfg_free_strv(l->hooks[i].env, l->hooks[i].n_env);
	}
	free(l->hooks);
}

static void free_resources(struct berth_resources *r)
{
	struct berth_block_io *b = &r->block_io;

	for (size_t i = 0; i < r->n_devices; i++)
		free(r->devices[i].access);
	free(r->devices);
	free(r->cpu.cpus);
	free(r->cpu.mems);
	free(b->weight_devices);
	free(b->throttle_read_bps);
	free(b->throttle_write_bps);
	free(b->throttle_read_iops);
	free(b->throttle_write_iops);
	for (size_t i = 0; i < r->n_hugepage_limits; i++)
		free(r->hugepage_limits[i].page_size);
	free(r->hugepage_limits);
	for (size_t i = 0; i < r->network.n_priorities; i++)
		free(r->network.priorities[i].name);
	free(r->network.priorities);
	for (size_t i = 0; i < r->n_rdma; i++)
		free(r->rdma[i].device);
	free(r->rdma);
	free_kv(r->unified, r->n_unified);
}

static void free_seccomp(struct berth_seccomp *s)
{
	cfg_free_strv(s->architectures, s->n_architectures);
	cfg_free_strv(s->flags, s->n_flags);
	free(s->listener_path);
	free(s->listener_metadata);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		cfg_free_strv(s->syscalls[i].names, s->syscalls[i].n_names);
		free(s->syscalls[i].args);
	}
	free(s->syscalls);
}

static void free_linux(struct berth_linux *l)
{
	for (size_t i = 0; i < l->n_namespaces; i++)
		free(l->namespaces[i].path);
	free(l->namespaces);
	free(l->uid_mappings);
	free(l->gid_mappings);
	for (size_t i = 0; i < l->n_devices; i++)
		free(l->devices[i].path);
	free(l->devices);
	for (size_t i = 0; i < l->n_net_devices; i++) {
		free(l->net_devices[i].host_name);
		free(l->net_devices[i].name);
	}
	free(l->net_devices);
	free(l->cgroups_path);
	free_resources(&l->resources);
	free(l->intel_rdt.clos_id);
	cfg_free_strv(l->intel_rdt.schemata, l->intel_rdt.n_schemata);
	free(l->intel_rdt.l3_cache_schema);
	free(l->intel_rdt.mem_bw_schema);
	free_kv(l->sysctl, l->n_sysctl);
	free_seccomp(&l->seccomp);
	free(l->rootfs_propagation);
	cfg_free_strv(l->masked_paths, l->n_masked_paths);
	cfg_free_strv(l->readonly_paths, l->n_readonly_paths);
	free(l->mount_label);
	free(l->personality.domain);
	cfg_free_strv(l->personality.flags, l->personality.n_flags);
	free(l->memory_policy.mode);
	free(l->memory_policy.nodes);
	cfg_free_strv(l->memory_policy.flags, l->memory_policy.n_flags);
}

void berth_spec_free(struct berth_spec *s)
{
	if (!s)
		return;
	free(s->oci_version);
	free(s->root.path);
	for (size_t i = 0; i < s->n_mounts; i++) {
		struct berth_mount *m = &s->mounts[i];

		free(m->destination);
		free(m->type);
		free(m->source);
		cfg_free_strv(m->options, m->n_options);
		free(m->uid_mappings);
		free(m->gid_mappings);
	}
	free(s->mounts);
	cfg_free_process_fields(&s->process);
	free(s->hostname);
	free(s->domainname);
	free_hook_list(&s->hooks.prestart);
	free_hook_list(&s->hooks.create_runtime);
	free_hook_list(&s->hooks.create_container);
	free_hook_list(&s->hooks.start_container);
	free_hook_list(&s->hooks.poststart);
	free_hook_list(&s->hooks.poststop);
	free_kv(s->annotations, s->n_annotations);
	free_linux(&s->linux_);
	free(s);
}
