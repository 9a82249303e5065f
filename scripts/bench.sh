#!/usr/bin/env bash
# Measures what BENCHMARKS.md records: the API requests that refreshing N
# tooljet_group_mapping resources costs (N = 10, 100, 1000), the requests of
# creating one more mapping, and the wall time of `terraform plan` for 1000
# mappings beside plans of 1000 terraform_data resources (Terraform's own
# floor) and of 1000 resources of a provider that does nothing
# (internal/bench/floorprovider, the floor of any plugin provider), in the
# same run. Request counts come from the emulator's request log. Prints
# Markdown.
#
# Environment: BENCH_SIZES (default "10 100 1000"), BENCH_PLAN_RUNS (default 5).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/emulator-lib.sh
source "$repo/scripts/emulator-lib.sh"

sizes=${BENCH_SIZES:-10 100 1000}
plan_runs=${BENCH_PLAN_RUNS:-5}
export CHECKPOINT_DISABLE=1 TF_INPUT=0
work=$(mktemp -d "${TMPDIR:-/tmp}/tooljet-bench.XXXXXX")
cleanup() {
	local status=$?
	stop_emulator
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT

make --no-print-directory -C "$repo" build >/dev/null
write_mirror_config
go build -o "$(mirror_dir floor)/terraform-provider-floor_v$mirror_version" \
	"$repo/internal/bench/floorprovider"
export TF_CLI_CONFIG_FILE="$work/mirror.tfrc"
export TOOLJET_EMAIL=dev@tooljet.io TOOLJET_PASSWORD=password

# mappings_root DIR N writes a root module with instance OIDC, the marketing
# workspace and N group mappings.
mappings_root() {
	mkdir -p "$1"
	cat >"$1/main.tf" <<HCL
terraform {
  required_providers {
    tooljet = { source = "tooljet/tooljet" }
  }
}

provider "tooljet" {}

variable "mappings" {
  type = number
}

resource "tooljet_instance_oidc" "sso" {
  client_id      = "bench"
  client_secret  = "bench-secret"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
  group_sync     = {}
}

data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
}

resource "tooljet_group_mapping" "team" {
  count         = var.mappings
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Team \${count.index} Members"
  tooljet_group = "builder"
}
HCL
	terraform -chdir="$1" init -backend=false -no-color >/dev/null
}

# log_lines prints how many lines the emulator's log has.
log_lines() { wc -l <"$work/emulator.log"; }

# requests_since LINE prints the request counts per route logged after LINE.
requests_since() {
	tail -n +"$(($1 + 1))" "$work/emulator.log" | grep 'msg=request' |
		sed -E 's/.*route="([^"]+)".*/\1/' | sort | uniq -c |
		awk '{count=$1; $1=""; sub(/^ /, ""); printf "%s: %d; ", $0, count}'
}

echo "## Request budget"
echo
echo "| N mappings | refresh (\`terraform plan\`) | create one more mapping (\`terraform apply\`) |"
echo "|---|---|---|"
for n in $sizes; do
	start_emulator
	export TOOLJET_HOST="$emulator_url"
	root="$work/mappings-$n"
	mappings_root "$root" "$n"
	terraform -chdir="$root" apply -auto-approve -no-color -var "mappings=$n" >/dev/null
	mark=$(log_lines)
	terraform -chdir="$root" plan -no-color -var "mappings=$n" >/dev/null
	refresh=$(requests_since "$mark")
	mark=$(log_lines)
	terraform -chdir="$root" apply -auto-approve -no-color -var "mappings=$((n + 1))" >/dev/null
	create=$(requests_since "$mark")
	echo "| $n | $refresh | $create |"
	if [[ "$n" == "1000" ]]; then
		kept_root=$root
		kept_url=$emulator_url
		kept_pid=$emulator_pid
		emulator_pid=
	else
		stop_emulator
	fi
done

if [[ -n "${kept_root:-}" ]]; then
	emulator_pid=$kept_pid
	export TOOLJET_HOST="$kept_url"
	data_root="$work/terraform-data"
	mkdir -p "$data_root"
	cat >"$data_root/main.tf" <<'HCL'
resource "terraform_data" "item" {
  count = 1000
  input = "Team ${count.index} Members"
}
HCL
	terraform -chdir="$data_root" init -backend=false -no-color >/dev/null
	terraform -chdir="$data_root" apply -auto-approve -no-color >/dev/null
	floor_root="$work/floor"
	mkdir -p "$floor_root"
	cat >"$floor_root/main.tf" <<'HCL'
terraform {
  required_providers {
    floor = { source = "tooljet/floor" }
  }
}

resource "floor_item" "item" {
  count = 1000
  input = "Team ${count.index} Members"
}
HCL
	terraform -chdir="$floor_root" init -backend=false -no-color >/dev/null
	terraform -chdir="$floor_root" apply -auto-approve -no-color >/dev/null

	time_plan() {
		local started ended
		started=$(date +%s%N)
		terraform -chdir="$1" plan -no-color "${@:2}" >/dev/null
		ended=$(date +%s%N)
		echo $(((ended - started) / 1000000))
	}
	median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

	tooljet_times=() data_times=() floor_times=()
	for ((i = 0; i < plan_runs; i++)); do
		tooljet_times+=("$(time_plan "$kept_root" -var mappings=1001)")
		data_times+=("$(time_plan "$data_root")")
		floor_times+=("$(time_plan "$floor_root")")
	done
	tooljet_median=$(printf '%s\n' "${tooljet_times[@]}" | median)
	data_median=$(printf '%s\n' "${data_times[@]}" | median)
	floor_median=$(printf '%s\n' "${floor_times[@]}" | median)
	echo
	echo "## terraform plan, 1000 resources, median of $plan_runs runs each, alternating"
	echo
	echo "| configuration | runs (ms) | median (ms) |"
	echo "|---|---|---|"
	echo "| 1001 \`tooljet_group_mapping\` + instance + workspace | ${tooljet_times[*]} | $tooljet_median |"
	echo "| 1000 \`terraform_data\` | ${data_times[*]} | $data_median |"
	echo "| 1000 \`floor_item\` (a provider that does nothing) | ${floor_times[*]} | $floor_median |"
	echo
	awk -v a="$tooljet_median" -v b="$data_median" -v c="$floor_median" 'BEGIN {
		printf "Ratio tooljet / terraform_data: %.2f\n", a / b
		printf "Ratio tooljet / floor_item: %.2f\n", a / c
		printf "Ratio floor_item / terraform_data: %.2f\n", c / b
	}'
fi
