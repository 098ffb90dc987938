#!/bin/sh
# Installs the Debian packages the deploy tests need (docker-compose to validate the compose file,
# kubectl for `kubectl kustomize`) when they are missing. Idempotent and quiet when all is present.
# Any kubectl already on PATH counts (another package, e.g. Google Cloud SDK's, may own the path;
# kubernetes-client would conflict with it).
set -eu

missing=""
command -v docker-compose >/dev/null 2>&1 || missing="$missing docker-compose"
command -v kubectl >/dev/null 2>&1 || missing="$missing kubernetes-client"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure-tools: need root to install:$missing" >&2
    exit 1
  fi
else
  SUDO=""
fi

echo "ensure-tools: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # word splitting of the package list is intended
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
