#!/usr/bin/env bash
# make-device.sh BUILD DEVICE_DIR: a fresh device with the images `make run` boots.
set -euo pipefail
build=$1
dev=$2
smtool="$build/host/tools/smtool/smtool"
"$smtool" provision --force -d "$dev" >/dev/null
"$smtool" program -d "$dev" --slot irot "$build/fw/platform/an505/board_demo.bin" >/dev/null
