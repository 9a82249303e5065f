#!/usr/bin/env bash
# Runs terraform fmt -check on examples/ and terraform init and validate on
# every example directory, with the provider from bin/ installed from a
# filesystem mirror, so it works offline and modules resolve. The examples
# are validated in a temporary copy of examples/, with a required_providers
# block added where a directory has none, so the repository stays clean.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/emulator-lib.sh
source "$repo/scripts/emulator-lib.sh"

# Terraform would otherwise ask HashiCorp's checkpoint service for updates.
export CHECKPOINT_DISABLE=1
export TF_INPUT=0

work=$(mktemp -d "${TMPDIR:-/tmp}/tooljet-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT

make --no-print-directory -C "$repo" build
write_mirror_config
export TF_CLI_CONFIG_FILE="$work/mirror.tfrc"

echo "==> terraform fmt -check -recursive examples/"
terraform fmt -check -recursive -diff "$repo/examples"

echo "==> terraform init and validate, for each example directory"
cp -R "$repo/examples" "$work/examples"
failed=0
while IFS= read -r copy; do
	relative=${copy#"$work"/}
	if ! grep -q 'required_providers' "$copy"/*.tf; then
		cat >"$copy/required_providers.tf" <<'HCL'
terraform {
  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}
HCL
	fi
	if terraform -chdir="$copy" init -backend=false -no-color >"$work/validate.log" 2>&1 &&
		terraform -chdir="$copy" validate -no-color >>"$work/validate.log" 2>&1; then
		echo "ok    $relative"
	else
		echo "FAIL  $relative" >&2
		cat "$work/validate.log" >&2
		failed=1
	fi
done < <(find "$work/examples" -name '*.tf' -exec dirname {} \; | sort -u)

if ((failed)); then
	exit 1
fi
echo "All examples are formatted and valid."
