#!/usr/bin/env bash
# Install the benchmark peers on a Debian 12 machine (see docs/peers.md for why each step):
# po4a from Debian 12, and the Translate Toolkit 3.15 with Markdown support unpacked from
# Debian 13's packages into /opt/ponte-peers/translate-toolkit (the system is left alone).
set -euo pipefail
apt-get update
apt-get install -y po4a python3-lxml python3-cwcwidth gettext
A=$(mktemp -d)
mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
echo 'deb http://deb.debian.org/debian trixie main' > "$A/sources.list"
APT=(-o "Dir::Etc::SourceList=$A/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache")
apt-get "${APT[@]}" update
(cd "$A" && apt-get "${APT[@]}" download python3-translate translate-toolkit python3-mistletoe)
PREFIX=${PONTE_TTK_PREFIX:-/opt/ponte-peers/translate-toolkit}
mkdir -p "$PREFIX"
for deb in "$A"/*.deb; do dpkg-deb -x "$deb" "$PREFIX"; done
python3 -m compileall -q "$PREFIX/usr/lib/python3/dist-packages"
PYTHONPATH="$PREFIX/usr/lib/python3/dist-packages" "$PREFIX/usr/bin/md2po" --version
po4a --version | head -1
