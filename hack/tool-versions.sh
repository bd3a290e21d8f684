# shellcheck shell=bash
# External tools the project needs, in one place (sourced by hack/ensure-etcd.sh and .ci/run).
# Debian's etcd packages give etcd/etcdctl 3.4.x; nothing starts them, run-local and tests do.
ETCD_APT_PACKAGES="etcd-server etcd-client"
# kubectl 1.27-1.33 come with the machine image; Debian's kubernetes-client (1.20) is too old, never install it.
NODE_MAJOR_MIN=20
