#!/usr/bin/env bash
# Applies examples/quickstart to a ToolJet API emulator on 127.0.0.1 and
# checks that a second plan is empty. It builds the provider and the
# emulator into bin/, loads the provider through a dev_overrides CLI
# configuration (so terraform init is not run), and works in a temporary
# directory that it removes on exit, so the repository stays clean.
#
# Environment: DEMO_STARTUP_TIMEOUT is how many seconds to wait for the
# emulator to start (default 30).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export EMULATOR_STARTUP_TIMEOUT=${DEMO_STARTUP_TIMEOUT:-30}
# shellcheck source=scripts/emulator-lib.sh
source "$repo/scripts/emulator-lib.sh"
email=dev@tooljet.io
password=password

# Terraform would otherwise ask HashiCorp's checkpoint service for updates.
export CHECKPOINT_DISABLE=1
export TF_INPUT=0

# Terraform colours its output even when it goes to a file or a pipe.
color_flag=()
if [[ ! -t 1 ]]; then
	color_flag=(-no-color)
fi

step() {
	printf '\n==> %s\n' "$*"
}

fail() {
	printf 'demo: %s\n' "$*" >&2
	exit 1
}

command -v go >/dev/null 2>&1 || fail "go was not found on PATH. Install Go 1.26 or later."
command -v terraform >/dev/null 2>&1 ||
	fail "terraform was not found on PATH. Install Terraform 1.11 or later."

work=$(mktemp -d "${TMPDIR:-/tmp}/tooljet-demo.XXXXXX")
demo_done=false

cleanup() {
	local status=$?
	# A child that has been forked for the emulator but has not run exec yet
	# still has this trap. Only the script's own shell cleans up.
	if [[ "$BASHPID" != "$$" ]]; then
		return
	fi
	if [[ "$demo_done" != true && -n "$emulator_pid" ]]; then
		show_emulator_log
	fi
	stop_emulator
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT

step "Building the provider and the emulator into bin/"
make --no-print-directory -C "$repo" build

step "Starting the ToolJet API emulator on 127.0.0.1"
start_emulator -state "$work/emulator-state.json" || fail "the emulator did not start."
url=$emulator_url
echo "Emulator listening on $url (super admin $email)"

step "Writing a Terraform CLI configuration with dev_overrides for tooljet/tooljet"
cat >"$work/dev.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "tooljet/tooljet" = "$repo/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/dev.tfrc"
echo "TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE"

mkdir "$work/quickstart"
cp "$repo"/examples/quickstart/*.tf "$work/quickstart/"
export TOOLJET_HOST="$url" TOOLJET_EMAIL="$email" TOOLJET_PASSWORD="$password"

step "terraform apply (examples/quickstart, copied to $work/quickstart)"
terraform -chdir="$work/quickstart" apply -auto-approve "${color_flag[@]}"

step "terraform plan -detailed-exitcode (expecting no changes)"
plan_status=0
terraform -chdir="$work/quickstart" plan -detailed-exitcode "${color_flag[@]}" || plan_status=$?
case $plan_status in
0)
	echo
	echo "Second plan: no changes."
	;;
2)
	fail "the second plan shows changes (above), so what the provider reads back" \
		"differs from what it applied."
	;;
*)
	fail "terraform plan failed with exit code $plan_status."
	;;
esac

demo_done=true
step "Stopping the emulator and removing $work"
