#!/usr/bin/env bash
# Installs the third-party programs the integration tests drive: the interop clients, Debian's
# python3-confluent-kafka (a real Avro + Schema Registry client, with python3-avro and python3-requests)
# and kcat; and, for the console's browser tests, chromium with its matching chromium-driver
# (/usr/bin/chromium, /usr/bin/chromedriver: Selenium uses these and never downloads a browser); and
# docker-compose 1.29.2, which validates and resolves docker-compose.yml without a Docker engine (ComposeFileIT),
# and shellcheck for the images' entry scripts (deploy/bin).
# Idempotent: does nothing when everything is present, so `mvn verify` can call it on every run.
set -euo pipefail

packages=(python3-confluent-kafka python3-avro python3-requests kcat chromium chromium-driver docker-compose shellcheck)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "test deps: all present (${packages[*]})"; exit 0; }

echo "test deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo -n); else
  echo "test deps: need root or sudo to apt-get install ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test deps: installed ${missing[*]}"
