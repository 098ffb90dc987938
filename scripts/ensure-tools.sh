#!/usr/bin/env bash
# Installs the Debian tools some test tiers need when they are missing: Chromium for the dashboard's
# browser test, and what deploy/tools/ensure-tools.sh lists for the deployment checks (docker-compose
# to validate the compose file, kubectl to render the kustomize overlays). A tier whose tool could not
# be installed fails; it never passes without it.
set -u
cd "$(dirname "$0")/.."
status=0
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-tools: installing chromium"
    (apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
      (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1)) ||
      { echo "ensure-tools: could not install chromium" >&2; status=1; }
  else
    echo "ensure-tools: chromium is missing and cannot be installed here" >&2
    status=1
  fi
fi
if [ -x deploy/tools/ensure-tools.sh ]; then
  deploy/tools/ensure-tools.sh || status=1
fi
exit $status
