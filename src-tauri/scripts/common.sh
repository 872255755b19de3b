# Shared by the run and test commands: one build, one target directory.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# The UI is embedded into the binary at compile time, so it is built first. Both commands
# build exactly the same way (all targets, so dev-dependencies are resolved alike), so
# running the app after the tests, or the other way round, compiles nothing twice.
build_all() {
  step "UI: build"
  npm --prefix "$ROOT/ui" run build --silent
  step "Rust: build the workspace (app, core, tests)"
  (cd "$ROOT" && cargo build --workspace --all-targets --locked)
}
