#!/bin/sh
# mkbundle.sh - installed as /usr/bin/mkbundle inside the berth test VM: makes
# a fresh bundle (config.json + a copy of the busybox rootfs) with chosen
# args, cgroupsPath, linux.resources and linux.namespaces, since the VM has no
# JSON tool. It fills the placeholders of /usr/share/berth-vm/config.template
# that run.sh wrote on the host from `berth spec` (or a built-in config).
#
# Usage: mkbundle DIR [-c CGROUPS_PATH] [-r RESOURCES_JSON] [-n NAMESPACES_JSON] [-- ARGS...]
#   -c  linux.cgroupsPath (default: the spec's; omitted when that has none)
#   -r  linux.resources as one JSON object, e.g. '{"pids":{"limit":10}}'
#   -n  linux.namespaces as one JSON array, e.g. '[{"type":"pid"},{"type":"mount"}]'
#   ARGS  process.args (default: the spec's, "sh")
#
# Must never: touch anything outside DIR.
set -e

share=/usr/share/berth-vm
usage() {
	echo "usage: mkbundle DIR [-c CGROUPS_PATH] [-r RESOURCES_JSON] [-n NAMESPACES_JSON] [-- ARGS...]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
dir=$1
shift
cgpath=$(cat "$share/default.cgroups_path" 2>/dev/null)
resources=$(cat "$share/default.resources")
namespaces=$(cat "$share/default.namespaces")
args=$(cat "$share/default.args")
while [ $# -gt 0 ]; do
	case "$1" in
	-c) [ $# -ge 2 ] || usage; cgpath=$2; shift 2 ;;
	-r) [ $# -ge 2 ] || usage; resources=$2; shift 2 ;;
	-n) [ $# -ge 2 ] || usage; namespaces=$2; shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done

json_string() {
	printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

if [ $# -gt 0 ]; then
	args="["
	sep=
	for a in "$@"; do
		args="$args$sep$(json_string "$a")"
		sep=", "
	done
	args="$args]"
fi

mkdir -p "$dir"
[ -d "$dir/rootfs" ] || cp -a /bundle/rootfs "$dir/rootfs"

# awk index()/substr() instead of sed so that no JSON character needs escaping.
[ -z "$cgpath" ] || cgpath=$(json_string "$cgpath")
V_ARGS=$args V_RES=$resources V_NS=$namespaces V_CG=$cgpath awk '
function sub_ph(line, ph, v,    i) {
	i = index(line, ph)
	if (i) line = substr(line, 1, i - 1) v substr(line, i + length(ph))
	return line
}
{
	if (index($0, "\"@BERTH_VM_CGROUPS_PATH@\"")) {
		if (ENVIRON["V_CG"] == "") next
		$0 = sub_ph($0, "\"@BERTH_VM_CGROUPS_PATH@\"", ENVIRON["V_CG"])
	}
	$0 = sub_ph($0, "\"@BERTH_VM_ARGS@\"", ENVIRON["V_ARGS"])
	$0 = sub_ph($0, "\"@BERTH_VM_RESOURCES@\"", ENVIRON["V_RES"])
	$0 = sub_ph($0, "\"@BERTH_VM_NAMESPACES@\"", ENVIRON["V_NS"])
	print
}' "$share/config.template" >"$dir/config.json"
