#!/usr/bin/env bash
# Runs `terraform test` for every module under examples/modules against a
# fresh ToolJet API emulator each, with the provider built from this
# repository. Each module is copied to a temporary directory, so the
# repository stays clean.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/emulator-lib.sh
source "$repo/scripts/emulator-lib.sh"

export CHECKPOINT_DISABLE=1 TF_INPUT=0
work=$(mktemp -d "${TMPDIR:-/tmp}/tooljet-module-test.XXXXXX")
cleanup() {
	local status=$?
	stop_emulator
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT

make --no-print-directory -C "$repo" build >/dev/null
write_mirror_config
export TF_CLI_CONFIG_FILE="$work/mirror.tfrc"
export TOOLJET_EMAIL=dev@tooljet.io TOOLJET_PASSWORD=password

failed=0
for module in "$repo"/examples/modules/*/; do
	name=$(basename "$module")
	[[ -d "$module/tests" ]] || continue
	echo "==> terraform test: examples/modules/$name"
	start_emulator
	export TOOLJET_HOST="$emulator_url"
	copy="$work/modules/$name"
	mkdir -p "$copy"
	cp -R "$module/." "$copy/"
	if ! terraform -chdir="$copy" init -backend=false -no-color >"$work/init.log" 2>&1; then
		cat "$work/init.log" >&2
		failed=1
	elif ! terraform -chdir="$copy" test -no-color; then
		show_emulator_log
		failed=1
	fi
	stop_emulator
done
exit "$failed"
