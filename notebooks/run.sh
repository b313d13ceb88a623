#!/usr/bin/env bash
# Execute every notebook in notebooks/ headlessly with the Deno Jupyter kernel; exit non-zero if any cell errors.
#
#   notebooks/run.sh              # install what is missing, run all notebooks
#   notebooks/run.sh a.ipynb ...  # only these
#
# Needs: Debian's jupyter-nbconvert + python3-nbclient + python3-ipykernel (installed with apt-get when missing
# and running as root), deno from notebooks/package.json (npm --prefix notebooks ci), and the project's own
# node_modules (the notebooks import ../src, which imports vega, zod, ...). The kernelspec is written to a
# folder under the repo (notebooks/.jupyter, git-ignored) and found through JUPYTER_PATH, so nothing is
# installed into ~/.local and no absolute path from another machine is reused.
# Executed copies go to notebooks/.out/ (git-ignored); the committed notebooks stay output-free.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$here"

if ! command -v jupyter-nbconvert >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import nbclient, ipykernel' >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing jupyter-nbconvert, python3-nbclient, python3-ipykernel (apt-get)"
    # only refresh the package lists when they are missing
    if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then apt-get update -qq; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jupyter-nbconvert python3-nbclient python3-ipykernel >/dev/null
  else
    echo "notebooks/run.sh: jupyter-nbconvert, python3-nbclient and python3-ipykernel are needed (apt-get install them)" >&2
    exit 2
  fi
fi
[ -d "$root/node_modules/vega" ] || (cd "$root" && npm ci --no-audit --no-fund)
[ -x "$here/node_modules/.bin/deno" ] || npm --prefix "$here" ci --no-audit --no-fund

# Kernelspec under the repo, regenerated each run (it holds the absolute path of this checkout's deno).
# `deno jupyter --install` always writes to ~/.local/share/jupyter, so write the same kernel.json ourselves.
export JUPYTER_PATH="$here/.jupyter"
export DENO_NO_UPDATE_CHECK=1
deno="$(readlink -f "$here/node_modules/.bin/deno")"
"$deno" --version >/dev/null
rm -rf "$here/.jupyter"
mkdir -p "$here/.jupyter/kernels/deno"
cat >"$here/.jupyter/kernels/deno/kernel.json" <<JSON
{
  "argv": ["$deno", "jupyter", "--kernel", "--conn", "{connection_file}"],
  "display_name": "Deno",
  "language": "typescript"
}
JSON

notebooks=("$@")
if [ ${#notebooks[@]} -eq 0 ]; then notebooks=(*.ipynb); fi
mkdir -p "$here/.out"
failed=0
for nb in "${notebooks[@]}"; do
  start=$(date +%s.%N)
  if jupyter-nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.kernel_name=deno \
       --output-dir "$here/.out" "$nb" >"$here/.out/${nb%.ipynb}.log" 2>&1; then
    printf 'ok    %-36s %5.1f s\n' "$nb" "$(echo "$(date +%s.%N) - $start" | bc)"
  else
    printf 'FAIL  %-36s (log: notebooks/.out/%s.log)\n' "$nb" "${nb%.ipynb}"
    tail -n 30 "$here/.out/${nb%.ipynb}.log" | sed 's/^/      /'
    failed=$((failed + 1))
  fi
done
[ $failed -eq 0 ] || { echo "notebooks/run.sh: $failed notebook(s) failed"; exit 1; }
