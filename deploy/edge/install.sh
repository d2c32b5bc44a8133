#!/usr/bin/env bash
# Installs a built daf-edge (./mvnw -B package -DskipTests) as a systemd service on this machine.
# Usage: sudo deploy/edge/install.sh   (run from the project root)
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -f target/quarkus-app/quarkus-run.jar ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 1; }
command -v java >/dev/null || { echo "a Java 17 runtime is needed: apt-get install openjdk-17-jre-headless" >&2; exit 1; }

id daf-edge >/dev/null 2>&1 || useradd --system --home-dir /var/lib/daf-edge --shell /usr/sbin/nologin daf-edge
install -d -o daf-edge -g daf-edge /var/lib/daf-edge /var/lib/daf-edge/config
rm -rf /opt/daf-edge.new
cp -r target/quarkus-app /opt/daf-edge.new
# swap in one step so a running service never sees half an installation
rm -rf /opt/daf-edge.old
[ -d /opt/daf-edge ] && mv /opt/daf-edge /opt/daf-edge.old
mv /opt/daf-edge.new /opt/daf-edge
# the site's settings are kept across upgrades
[ -f /var/lib/daf-edge/config/application.properties ] || \
  install -o daf-edge -g daf-edge -m 0640 config/application.properties /var/lib/daf-edge/config/application.properties
[ -f /etc/default/daf-edge ] || install -m 0644 deploy/edge/daf-edge.default /etc/default/daf-edge
install -m 0644 deploy/edge/daf-edge.service /etc/systemd/system/daf-edge.service
systemctl daemon-reload
systemctl enable --now daf-edge
echo "daf-edge installed; site settings in /var/lib/daf-edge/config/application.properties"
