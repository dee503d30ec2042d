#!/bin/sh
# What every tool shares (cmd/tool.c): --version, the options that mean
# the same everywhere (-0, -O), the check that stdout was written.
. "$(dirname "$0")/lib.sh"

plan 16

version=$(sed -n 's/^VERSION = //p' "$ENAS_SRC/Makefile")
for t in enas enas-check enas-edit enas-init enas-log enas-ls enas-merge \
    enas-new enas-show enas-stats; do
	run $t --version
	is "0:$t $version:" "$rc:$out:$err" "$t --version"
done

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
d=records/cases/2024
write_case $d/NDR-2024-7K3QP.yaml NDR-2024-7K3QP
write_case $d/NDR-2024-AAAAA.yaml NDR-2024-AAAAA
sed -i 's/^age: 15/age: 19/' $d/NDR-2024-AAAAA.yaml

enas ls -0 case >"$TMP/ids0"
run sh -c 'enas-check -0 - <"$1"' sh "$TMP/ids0"
is "1" "$rc" "check -0: NUL-separated paths, as ls -0 writes them"
is "$d/NDR-2024-AAAAA.yaml:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$err" \
    "check -0: the bad record reported"
run enas-check -O json --all
json=$out
run enas-check --format=json --all
is "$json" "$out" "check -O json is --format=json"
run enas-check -O xml --all
is "2" "$rc" "check -O with another format: usage"
run sh -c 'enas-ls case >/dev/full'
is "2:enas-ls: standard output: No space left on device" "$rc:$err" \
    "a full disk is an error"
run enas check --version
is "0:enas-check $version:" "$rc:$out:$err" "enas check --version is the tool's"
