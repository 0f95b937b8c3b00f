#!/usr/bin/env bash
# Print the absolute path of a Python >= 3.12 interpreter that can create
# virtual environments (has the venv and ensurepip modules).
#
# Search order:
#   1. $PYTHON, if set (an explicit choice: if it is unusable, fail, do not guess)
#   2. python3.13, python3.12, python3 on PATH (pyenv shims that are not active
#      for the current directory fail quietly and are skipped)
#   3. ${PYENV_ROOT:-~/.pyenv}/versions/*/bin/python3.1x and python3 (ascending version)
#   4. /usr/local/bin/python3.1x, /usr/bin/python3.1x
#
# Every candidate is run to check its version and modules. The path printed is
# the interpreter's own sys.executable (resolves pyenv shims).
# Set FIND_PYTHON_VERBOSE=1 to see each candidate on stderr.
set -u

MIN="3.12"
PROBE='import sys
if sys.version_info < (3, 12):
    sys.exit(3)
try:
    import venv, ensurepip  # noqa: F401  (Debian splits these into pythonX.Y-venv)
except ImportError:
    sys.exit(4)
print(sys.executable or "")'

no_venv=""   # a Python >= 3.12 that lacks venv/ensurepip, for the error message

say() { [ "${FIND_PYTHON_VERBOSE:-0}" = 1 ] && echo "find_python: $*" >&2; return 0; }

# try CANDIDATE: print its path and return 0 if it is usable.
try() {
    local cand=$1 out rc
    out=$("$cand" -c "$PROBE" 2>/dev/null </dev/null)
    rc=$?
    case $rc in
        0)
            [ -n "$out" ] || out=$(command -v "$cand")
            say "ok: $cand -> $out"
            printf '%s\n' "$out"
            return 0 ;;
        4)
            say "no venv/ensurepip module: $cand"
            [ -n "$no_venv" ] || no_venv=$cand ;;
        3)  say "older than $MIN: $cand" ;;
        *)  say "not runnable (exit $rc): $cand" ;;
    esac
    return 1
}

# 1. explicit choice
if [ -n "${PYTHON:-}" ]; then
    try "$PYTHON" && exit 0
    echo "find_python.sh: error: PYTHON=$PYTHON is not a usable Python >= $MIN with the venv module." >&2
    echo "  Unset PYTHON to search automatically, or point it at e.g. ~/.pyenv/versions/3.12.1/bin/python3.12" >&2
    exit 1
fi

# 2. PATH
for name in python3.13 python3.12 python3; do
    command -v "$name" >/dev/null 2>&1 && try "$name" && exit 0
done

# 3. pyenv installs (not the shims, which only work for the active version)
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
if [ -d "$pyenv_root/versions" ]; then
    while IFS= read -r dir; do
        for cand in "$dir"/bin/python3.[1-9][0-9] "$dir"/bin/python3; do
            [ -x "$cand" ] && try "$cand" && exit 0
        done
    done < <(ls -1d "$pyenv_root"/versions/*/ 2>/dev/null | sed 's:/*$::' | sort -V)
fi

# 4. system locations
for cand in /usr/local/bin/python3.[1-9][0-9] /usr/bin/python3.[1-9][0-9]; do
    [ -x "$cand" ] && try "$cand" && exit 0
done

{
    echo "find_python.sh: error: no Python >= $MIN with the venv module was found."
    echo "  Searched: \$PYTHON, python3.13/python3.12/python3 on PATH, $pyenv_root/versions/*/bin,"
    echo "            /usr/local/bin and /usr/bin."
    if [ -n "$no_venv" ]; then
        v=$("$no_venv" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
        echo "  Found $no_venv (Python $v) but it lacks the venv module: apt-get install python$v-venv"
    fi
    echo "  Install one, for example:"
    echo "    Debian 13 / Ubuntu 24.04:  apt-get install python3 python3-venv   (or python3.12 python3.12-venv)"
    echo "    any Linux, with pyenv:     pyenv install 3.12"
    echo "  or name one explicitly:      PYTHON=/path/to/python3.12 make venv"
} >&2
exit 1
