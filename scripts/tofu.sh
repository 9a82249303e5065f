#!/usr/bin/env bash
# Builds OpenTofu's tofu command from its source in the Go module proxy into
# .cache/tofu/tofu, so that the acceptance tests can run against OpenTofu
# (make testacc-tofu) without downloading a release binary. Does nothing when
# that binary exists and reports the requested version. The first build took
# 7.5 minutes on a 2-core machine that was running other builds.
#
# Environment: TOFU_VERSION is the OpenTofu module version to build
# (default 1.12.6).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${TOFU_VERSION:-1.12.6}
module=github.com/opentofu/opentofu
out_dir="$repo/.cache/tofu"
out="$out_dir/tofu"

fail() {
	printf 'tofu.sh: %s\n' "$*" >&2
	exit 1
}

command -v go >/dev/null 2>&1 || fail "go was not found on PATH. Install Go 1.26 or later."

# tofu version warns when TF_CLI_CONFIG_FILE names a missing file, so the
# check gives it an empty configuration and reads only the version line.
# sed, unlike head, reads to the end, so tofu never gets SIGPIPE.
built_version() {
	TF_CLI_CONFIG_FILE=/dev/null "$out" version 2>/dev/null | sed -n 1p
}

if [[ -x "$out" ]] && [[ "$(built_version)" == "OpenTofu v$version" ]]; then
	echo "OpenTofu $version is already built at $out."
	exit 0
fi

echo "==> Downloading $module@v$version from the Go module proxy"
download_json=$(go mod download -json "$module@v$version") ||
	fail "go mod download $module@v$version failed; see the error above."
# go mod download -json prints one object with a "Dir" field: the module's
# read-only source directory in the module cache.
module_dir=$(printf '%s\n' "$download_json" |
	sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')
[[ -n "$module_dir" && -d "$module_dir" ]] ||
	fail "go mod download printed no source directory for $module@v$version."

echo "==> Building tofu into $out"
mkdir -p "$out_dir"
start=$SECONDS
# The build runs inside the module directory, so OpenTofu's own go.mod and
# go.sum pin every dependency. CGO_ENABLED=0 and the flags are those of
# OpenTofu's release builds, where version.dev=no drops the "-dev" suffix
# from the version that tofu reports.
(cd "$module_dir" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
	-ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
	-o "$out.tmp" ./cmd/tofu)
mv "$out.tmp" "$out"
echo "Built $(built_version) in $((SECONDS - start))s."
