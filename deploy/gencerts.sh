#!/usr/bin/env bash
# One-shot certificate setup for docker-compose.cluster.yml: the `setup` service runs it as root in
# the vendor's es-gencert-cli image (bash, busybox), with no network.
#
#   /ca            volume es-ca          the CA certificate and its PRIVATE KEY; mounted only here
#   /certs/<node>  volume <node>-cert    node.crt and node.key of that node only; read-only in that
#                                        node (each node mounts its own, never another's key)
#   /ca-public     volume es-ca-public   ca.crt only; read-only in the nodes and the trackers
#                                        (as /certs/ca)
#
# ESDB_NODES lists the nodes as "name:ip name:ip ...". Each node certificate carries the SANs
# DNS:localhost, DNS:<name>, IP:127.0.0.1 and IP:<ip>: clients reach the nodes by name (the gossip
# seeds in the connection string), the nodes advertise their IP addresses in gossip, and the health
# checks call https://localhost:2113.
#
# Idempotent: an existing CA is kept; a node certificate is issued again only when it is missing,
# when the CA changed, or when its SANs changed. Node certificates are valid for one year
# (es-gencert-cli's default): remove a node's <node>-cert volume (or all three) to renew them.
set -euo pipefail
umask 022

: "${ESDB_NODES:?ESDB_NODES must list the nodes as name:ip pairs}"
# The `eventstore` user of the EventStoreDB image, which must read the node keys.
readonly node_owner=1000:1000

if [[ ! -s /ca/ca.crt || ! -s /ca/ca.key ]]; then
  echo "setup: creating a new certificate authority"
  rm -f /ca/ca.crt /ca/ca.key
  es-gencert-cli create-ca -out /ca
fi

ca_changed=false
if ! cmp -s /ca/ca.crt /ca-public/ca.crt; then
  ca_changed=true
fi

for entry in $ESDB_NODES; do
  name=${entry%%:*}
  ip=${entry#*:}
  if [[ -z $name || -z $ip || $name == "$entry" ]]; then
    echo "setup: '$entry' in ESDB_NODES is not name:ip" >&2
    exit 1
  fi
  sans="dns=localhost,$name ip=127.0.0.1,$ip"
  dir=/certs/$name
  # Each node's folder is a volume of its own, mounted here by the compose file.
  if [[ ! -d $dir ]]; then
    echo "setup: $dir is not mounted: the compose file must mount the volume ${name}-cert there" >&2
    exit 1
  fi
  if [[ $ca_changed == true || ! -s $dir/node.crt || ! -s $dir/node.key ]] \
    || [[ "$(cat "$dir/sans" 2>/dev/null || true)" != "$sans" ]]; then
    echo "setup: issuing the certificate of $name ($sans)"
    # Empty the folder, not remove it: it is a mount point.
    find "$dir" -mindepth 1 -delete
    es-gencert-cli create-node -ca-certificate /ca/ca.crt -ca-key /ca/ca.key -out "$dir" \
      -ip-addresses "127.0.0.1,$ip" -dns-names "localhost,$name"
    printf '%s\n' "$sans" >"$dir/sans"
  else
    echo "setup: keeping the certificate of $name"
  fi
done

cp /ca/ca.crt /ca-public/ca.crt

for entry in $ESDB_NODES; do
  dir=/certs/${entry%%:*}
  chown -R "$node_owner" "$dir"
  find "$dir" -type d -exec chmod 0700 {} \;
  find "$dir" -type f -name '*.key' -exec chmod 0400 {} \;
  find "$dir" -type f ! -name '*.key' -exec chmod 0444 {} \;
done
chown 0:0 /ca-public/ca.crt
chmod 0444 /ca-public/ca.crt
chmod 0700 /ca

echo "setup: certificates ready"
