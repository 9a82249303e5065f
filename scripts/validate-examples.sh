#!/usr/bin/env bash
# Runs terraform fmt -check on examples/ and terraform validate on every
# example directory, with the provider from bin/ loaded through a
# dev_overrides CLI configuration, so terraform init is not run. Each
# directory is validated in a temporary copy, with a required_providers block
# added where the example has none, so the repository stays clean.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Terraform would otherwise ask HashiCorp's checkpoint service for updates.
export CHECKPOINT_DISABLE=1
export TF_INPUT=0

work=$(mktemp -d "${TMPDIR:-/tmp}/tooljet-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat >"$work/dev.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "tooljet/tooljet" = "$repo/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/dev.tfrc"

make --no-print-directory -C "$repo" build

echo "==> terraform fmt -check -recursive examples/"
terraform fmt -check -recursive -diff "$repo/examples"

echo "==> terraform validate, for each example directory"

failed=0
while IFS= read -r dir; do
	relative=${dir#"$repo"/}
	copy="$work/$relative"
	mkdir -p "$copy"
	cp "$dir"/*.tf "$copy/"
	if ! grep -q 'required_providers' "$copy"/*.tf; then
		cat >"$copy/required_providers.tf" <<'EOF'
terraform {
  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}
EOF
	fi
	# The output is shown only on failure, because every run starts with
	# Terraform's warning that development overrides are in effect.
	if terraform -chdir="$copy" validate -no-color >"$work/validate.log" 2>&1; then
		echo "ok    $relative"
	else
		echo "FAIL  $relative" >&2
		cat "$work/validate.log" >&2
		failed=1
	fi
done < <(find "$repo/examples" -name '*.tf' -exec dirname {} \; | sort -u)

if ((failed)); then
	exit 1
fi
echo "All examples are formatted and valid."
