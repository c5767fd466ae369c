#!/usr/bin/env bash
# The whole test suite of chiiki_care, as README.md gives it.
#
# 1. Plain-Python tests (tests/unit): need no Frappe; run with any python3 that has pytest.
# 2. Integration tests (tests/integration): run on a real Frappe site of an existing bench.
#    This checkout is installed afresh into a dedicated test site of that bench (never the
#    development site) and imported from here, so the bench's own copy of the app is not used.
#
# Settings (environment): FRAPPE_BENCH (default: ~frappe/frappe-bench), CHIIKI_CARE_TEST_SITE
# (default: chiiki-test.localhost), DB_ROOT_USER / DB_ROOT_PASSWORD (MariaDB account that may
# create databases; default frappe_admin / frappe_admin), PYTHON (default: python3).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python3}
bench=${FRAPPE_BENCH:-$(getent passwd frappe | cut -d: -f6)/frappe-bench}
site=${CHIIKI_CARE_TEST_SITE:-chiiki-test.localhost}
db_user=${DB_ROOT_USER:-frappe_admin}
db_password=${DB_ROOT_PASSWORD:-frappe_admin}

echo "== plain-Python tests (no Frappe needed)"
(cd "$repo" && "$python" -m pytest -p no:cacheprovider -q tests/unit)
unit_rc=$?
[ "$unit_rc" -eq 0 ] || { echo "plain-Python tests failed"; exit "$unit_rc"; }

if [ ! -x "$bench/env/bin/python" ] || [ ! -d "$bench/sites" ]; then
	echo "integration tests NOT run: no Frappe bench at $bench (set FRAPPE_BENCH to use one)"
	exit 0
fi

owner=$(stat -c %U "$bench")
app_dir=$repo
as_owner=()
if [ "$(id -un)" != "$owner" ]; then
	# Run as the bench's user so nothing in the bench becomes unreadable to it; it reads a copy.
	app_dir=$(mktemp -d /tmp/chiiki_care_test.XXXXXX)
	trap 'rm -rf "$app_dir"' EXIT
	cp -a "$repo/." "$app_dir/"
	chown -R "$owner" "$app_dir"
	as_owner=(runuser -u "$owner" --)
fi

run_in_bench() {
	"${as_owner[@]}" env -C "$bench/sites" PYTHONPATH="$app_dir" "$@"
}
frappe_cmd() {
	run_in_bench "$bench/env/bin/python" -m frappe.utils.bench_helper frappe "$@"
}

echo "== integration tests on site $site of $bench, app from $app_dir"
if ! grep -qx chiiki_care "$bench/sites/apps.txt"; then
	printf '%s\nchiiki_care\n' "$(cat "$bench/sites/apps.txt")" | "${as_owner[@]}" tee "$bench/sites/apps.txt" >/dev/null
fi
run_in_bench "$bench/env/bin/python" -c "import pytest" 2>/dev/null || run_in_bench "$bench/env/bin/python" -m pip install -q pytest
# The portal's browser tests drive Debian's chromium through selenium (no browser download).
run_in_bench "$bench/env/bin/python" -c "import selenium" 2>/dev/null || run_in_bench "$bench/env/bin/python" -m pip install -q selenium

if [ -d "$bench/sites/$site" ]; then
	frappe_cmd drop-site "$site" --db-root-username "$db_user" --db-root-password "$db_password" --force --no-backup >/dev/null || exit 1
fi
frappe_cmd new-site "$site" --db-root-username "$db_user" --db-root-password "$db_password" \
	--admin-password admin --install-app chiiki_care >/dev/null || { echo "could not create test site $site"; exit 1; }
frappe_cmd --site "$site" set-config allow_tests true >/dev/null || exit 1

# The app's life on a site: migrate twice, uninstall cleanly, install again, load the demo.
lifecycle_log=$(mktemp /tmp/chiiki_care_lifecycle.XXXXXX)
chmod a+r "$lifecycle_log"
step() {
	local name=$1
	shift
	if "$@" >"$lifecycle_log" 2>&1; then
		echo "lifecycle: $name ok"
	else
		echo "lifecycle: $name FAILED"
		tail -n 30 "$lifecycle_log"
		exit 1
	fi
}
step "migrate (1st)" frappe_cmd --site "$site" migrate
step "migrate (2nd)" frappe_cmd --site "$site" migrate
step "uninstall-app" frappe_cmd --site "$site" uninstall-app chiiki_care --yes --no-backup
if frappe_cmd --site "$site" list-apps 2>/dev/null | grep -q chiiki_care; then
	echo "lifecycle: chiiki_care still listed after uninstall"
	exit 1
fi
step "install-app again" frappe_cmd --site "$site" install-app chiiki_care
step "demo data" frappe_cmd --site "$site" chiiki-care-demo

run_in_bench "$bench/env/bin/python" -m pytest -p no:cacheprovider -q \
	--rootdir "$app_dir" -c "$app_dir/pyproject.toml" "$app_dir/tests/integration" \
	--site "$site" --sites-path "$bench/sites" --app-dir "$app_dir"
rc=$?
rm -f "$lifecycle_log"
exit "$rc"
