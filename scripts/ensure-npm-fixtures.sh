#!/bin/sh
# Fetch the open-source consent manager that the consent tests build their banner with
# (vanilla-cookieconsent, MIT) from the npm registry into a cache folder outside git (idempotent).
# The tests themselves never reach the internet: they serve these files from the local web server.
# Plain HTTPS and a pinned SHA-256: no Node.js or npm needed.
set -eu
cache=${1:-.test-cache/npm}
python=${2:-.venv/bin/python}
package=vanilla-cookieconsent
version=3.1.0
sha256=1d106b5f433b60d945dfed4c54f5535a8f61a30f2559b3f7548ed79e482aa4b6
target="$cache/$package-$version"
if [ -f "$target/package/dist/cookieconsent.umd.js" ]; then
    exit 0
fi
mkdir -p "$target"
"$python" - "$package" "$version" "$sha256" "$target" <<'PY'
import hashlib, io, sys, tarfile, urllib.request
package, version, expected, target = sys.argv[1:]
url = f"https://registry.npmjs.org/{package}/-/{package}-{version}.tgz"
data = urllib.request.urlopen(url, timeout=60).read()
if hashlib.sha256(data).hexdigest() != expected:
    sys.exit(f"{url}: unexpected SHA-256 {hashlib.sha256(data).hexdigest()}")
with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
    archive.extractall(target, filter="data")
PY
