#!/usr/bin/env bash
# Fuzzes the running API against its own description (GET /openapi.json) with Schemathesis:
# every answer must be documented (status, content type, schema) and none may be a 5xx.
#
# Builds nothing: it runs ${CARGO_TARGET_DIR:-target}/debug/pamctl, which `cargo test` built.
# It starts `pamctl server --dev` on a free port with a temp data dir, requests a few sessions
# as a user (so that lists, searches and summaries answer real data), signs in as the dev
# admin and runs a pinned Schemathesis with a fixed seed and a bounded number of cases.
# Exits non-zero on any failure. SCHEMATHESIS_VENV=DIR reuses (or creates) a venv there;
# SCHEMATHESIS_CASES sets the total number of cases (about 2,000 by default); arguments are
# passed on to `st run` (e.g. --cassette-path FILE to keep every request and answer).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=3.39.16
# Schemathesis 3.39 breaks on Hypothesis >= 6.131.4 ("'many' object has no attribute 'more'").
HYPOTHESIS_VERSION=6.131.0
TOTAL_CASES=${SCHEMATHESIS_CASES:-2000}

pamctl="${CARGO_TARGET_DIR:-target}/debug/pamctl"
if [[ ! -x $pamctl ]]; then
  echo "schemathesis.sh: $pamctl is missing; run \`cargo test\` (or \`cargo build\`) first" >&2
  exit 2
fi
pamctl=$(realpath "$pamctl")

work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

venv=${SCHEMATHESIS_VENV:-$work/venv}
if [[ ! -x $venv/bin/st ]] || ! "$venv/bin/st" --version | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" "hypothesis==$HYPOTHESIS_VERSION"
fi

# The server is isolated from the caller's own pamctl configuration, as the tests' is.
mkdir -p "$work/home" "$work/config" "$work/data"
env -u PAMCTL_SERVER -u PAMCTL_TOKEN -u PAMCTL_PROFILE -u PAMCTL_CONFIG -u PAMCTL_DATA_DIR \
  -u PAMCTL_DATABASE -u PAMCTL_DATABASE_URL -u PAMCTL_DEV_PASSWORD \
  HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" RUST_LOG=warn \
  "$pamctl" server --dev --listen 127.0.0.1:0 --data-dir "$work/server-data" \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!

url=
for _ in $(seq 300); do
  url=$(sed -n 's/^pamctl server listening on //p' "$work/server.out" | head -n 1)
  [[ -n $url ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "schemathesis.sh: the server did not start:" >&2
    cat "$work/server.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z $url ]]; then
  echo "schemathesis.sh: the server did not say where it listens within 30 s" >&2
  exit 1
fi

# Seeds sessions as uma (live, waiting for approval, ended), writes the ids of real objects
# for the hooks below, and prints the admin's token and the number of operations described.
read -r token operations < <(python3 - "$url" "$work/ids.json" <<'EOF'
import json, sys, urllib.request

base, ids_file = sys.argv[1], sys.argv[2]

def call(method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, data) as response:
        text = response.read()
        return json.loads(text) if text else None

def sign_in(user):
    return call("POST", "/signinBody", body={"Login": user, "Password": "pamctl-dev"})

uma = sign_in("uma")
call("POST", "/api/v1/ActivitySession", uma,
     {"activityName": "Linux Admin", "managedResourceName": "web01", "note": "fuzz"})
call("POST", "/api/v1/ActivitySession", uma,
     {"activityName": "Database Read Write", "managedResourceName": "db01", "ticket": "CHG-1"})
call("POST", "/api/v1/ActivitySession", uma,
     {"activityName": "Windows Local Admin", "managedResourceName": "win01"})
ended = call("POST", "/api/v1/ActivitySession", uma,
             {"activityName": "Linux Admin", "managedResourceName": "web02"})
call("DELETE", "/api/v1/ActivitySession/" + ended["id"], uma)

admin = sign_in("admin")
ids = {
    "sessions": [s["id"] for s in call("GET", "/api/v1/ActivitySession", admin)],
    "activities": [a["id"] for a in call("GET", "/api/v1/Activity", uma)],
    "resources": [r["id"] for r in call("GET", "/api/v1/ManagedResource", uma)],
    "policies": [p["id"] for p in call("GET", "/api/v1/AccessControlPolicy", admin)],
}
with open(ids_file, "w") as out:
    json.dump(ids, out)

spec = call("GET", "/openapi.json")
operations = sum(len(item) for item in spec["paths"].values())
print(admin, operations)
EOF
) || true

# Hooks that also give the fuzzer the ids of real objects (else every id it makes up is a 404
# and the handlers' work past the lookup goes untested).
cat >"$work/pamctl_hooks.py" <<'EOF'
import json
import os

import schemathesis
from hypothesis import strategies as st

with open(os.environ["PAMCTL_FUZZ_IDS"]) as ids_file:
    IDS = json.load(ids_file)


def kind_of_id(path):
    if path.startswith("/api/v1/activitysession/summaryforresource/"):
        return "resources"
    for prefix, kind in [
        ("/api/v1/activitysession/", "sessions"),
        ("/api/v1/activity/", "activities"),
        ("/api/v1/managedresource/", "resources"),
        ("/api/v1/accesscontrolpolicy/", "policies"),
    ]:
        if path.startswith(prefix):
            return kind
    return None


@schemathesis.hook
def before_generate_path_parameters(context, strategy):
    operation = context.operation
    ids = IDS.get(kind_of_id(operation.path)) if operation and "{id}" in operation.path else None
    if not ids:
        return strategy
    real = st.builds(lambda params, id: {**params, "id": id}, strategy, st.sampled_from(ids))
    return st.one_of(strategy, real)


# The lists' sortable properties: a made-up orderBy is only ever a 400.
ORDER_BY = [
    "createdDateTimeUtc", "startDateTimeUtc", "endDateTimeUtc", "userDisplayName",
    "managedResourceName", "activityName", "status", "durationInSeconds", "id",
    "loginAccountName", "name", "displayName", "platformName", "ipAddress",
]


def with_value(strategy, name, values):
    return st.builds(lambda query, value: {**(query or {}), name: value}, strategy, values)


@schemathesis.hook
def before_generate_query(context, strategy):
    operation = context.operation
    if not operation:
        return strategy
    names = {parameter.name for parameter in operation.query}
    if "activityId" in names:
        strategy = st.one_of(
            strategy, with_value(strategy, "activityId", st.sampled_from(IDS["activities"]))
        )
    if "orderBy" in names:
        strategy = st.one_of(strategy, with_value(strategy, "orderBy", st.sampled_from(ORDER_BY)))
    return strategy
EOF

if [[ -z ${token:-} || -z ${operations:-} ]]; then
  echo "schemathesis.sh: seeding the dev server failed; its log:" >&2
  tail -n 50 "$work/server.err" >&2
  exit 1
fi
per_operation=$(( (TOTAL_CASES + operations - 1) / operations ))
echo "schemathesis.sh: $operations operations, up to $per_operation cases each, against $url"

status=0
# Left out: the test clock (test servers only) and revoking the calling token, which would
# sign the rest of the run out.
# Hypothesis keeps its caches in the temp dir, not in the checkout.
PAMCTL_FUZZ_IDS="$work/ids.json" PYTHONPATH="$work" SCHEMATHESIS_HOOKS=pamctl_hooks \
  HYPOTHESIS_STORAGE_DIRECTORY="$work/hypothesis" \
  "$venv/bin/st" run "$url/openapi.json" \
  --experimental=openapi-3.1 \
  --header "Authorization: Bearer $token" \
  --validate-schema=true \
  --checks all \
  --hypothesis-seed=1 \
  --hypothesis-derandomize \
  --hypothesis-max-examples="$per_operation" \
  --contrib-openapi-formats-uuid \
  --generation-codec=utf-8 \
  --exclude-path /api/v1/test/clock \
  --exclude-operation-id revokeUserToken \
  --workers 1 \
  --no-color \
  "$@" || status=$?

if [[ $status -ne 0 ]]; then
  echo "schemathesis.sh: failed ($status); the server's log:" >&2
  tail -n 50 "$work/server.err" >&2
fi
exit "$status"
