# Functions shared by the scripts that run Terraform against the ToolJet API
# emulator. Source it from bash after setting `repo` (the repository root)
# and `work` (a temporary directory the script owns).
#
# start_emulator [FLAG...]   starts bin/tooljet-emulator on 127.0.0.1 with the
#                            extra flags, waits for its URL, and sets
#                            emulator_pid and emulator_url. The log goes to
#                            $work/emulator.log.
# stop_emulator              stops it and waits for it to exit.
# show_emulator_log          prints the end of its log to stderr.
# write_mirror_config        installs bin/terraform-provider-tooljet into a
#                            filesystem mirror under $work and writes
#                            $work/mirror.tfrc, a CLI configuration that
#                            installs the tooljet/* providers from it.
#                            Unlike dev_overrides, it lets `terraform init`
#                            and `terraform test` run offline.
# mirror_dir NAME            prints the mirror directory for provider
#                            tooljet/NAME, to put another build in.

emulator_pid=
emulator_url=
emulator_startup_timeout=${EMULATOR_STARTUP_TIMEOUT:-30}

start_emulator() {
	: >"$work/emulator.url"
	"$repo/bin/tooljet-emulator" -listen 127.0.0.1:0 -url-file "$work/emulator.url" "$@" \
		>"$work/emulator.log" 2>&1 &
	emulator_pid=$!
	local deadline=$((SECONDS + emulator_startup_timeout))
	while [[ ! -s "$work/emulator.url" ]]; do
		sleep 0.1
		if ! kill -0 "$emulator_pid" 2>/dev/null; then
			show_emulator_log
			echo "the emulator exited before it was ready" >&2
			return 1
		fi
		if ((SECONDS >= deadline)); then
			show_emulator_log
			echo "the emulator did not write its URL within ${emulator_startup_timeout}s;" \
				"set EMULATOR_STARTUP_TIMEOUT to wait longer" >&2
			return 1
		fi
	done
	emulator_url=$(<"$work/emulator.url")
}

stop_emulator() {
	if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
		kill -TERM "$emulator_pid" 2>/dev/null || true
		wait "$emulator_pid" 2>/dev/null || true
	fi
	emulator_pid=
}

show_emulator_log() {
	if [[ -s "$work/emulator.log" ]]; then
		printf '\n--- emulator log (%s) ---\n' "$work/emulator.log" >&2
		tail -n 40 "$work/emulator.log" >&2
		printf -- '--- end of emulator log ---\n' >&2
	fi
}

mirror_version=0.0.1

mirror_dir() {
	local dir
	dir="$work/mirror/registry.terraform.io/tooljet/$1/$mirror_version/$(go env GOOS)_$(go env GOARCH)"
	mkdir -p "$dir"
	echo "$dir"
}

write_mirror_config() {
	local dir
	dir=$(mirror_dir tooljet)
	cp "$repo/bin/terraform-provider-tooljet" "$dir/terraform-provider-tooljet_v$mirror_version"
	cat >"$work/mirror.tfrc" <<CONFIG
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/tooljet/*"]
  }
  direct {
    exclude = ["registry.terraform.io/tooljet/*"]
  }
}
CONFIG
}
