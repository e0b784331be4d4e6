#!/usr/bin/env bash
# Builds the Go reference binaries the compatibility tests judge sealkit against, once,
# into a cache outside the repo ($SEALKIT_REFERENCE_DIR, default ~/.cache/sealkit-reference):
#   kubeseal and controller   Bitnami sealed-secrets, the release sealkit is compatible with
#   kube-apiserver            a real Kubernetes API server, built from the k8s.io/kubernetes module
#   etcd                      its storage, from the go.etcd.io/etcd server module
#   gotemplate-oracle         Go text/template + sprig as Bitnami renders spec.template.data
#                             (test/gotemplate-oracle), the judge of sealkit's template engine
#   pq-oracle                 sealkit's post-quantum format from Go's standard library alone
#                             (test/pq-oracle: crypto/mlkem, crypto/rsa, crypto/hkdf)
# Without Go it says so and exits 0: the tests that need these skip (CI requires them).
# First build on 2 cores: about 25 minutes, nearly all of it the two kube-apiservers.
set -euo pipefail

SEALED_SECRETS_VERSION=v0.36.6
KUBERNETES_VERSION=v1.37.2   # staging modules are published as v0.x twins: v1.37.2 -> v0.37.2
KUBERNETES_OLD_VERSION=v1.30.14  # an older API server still in use: the oldest whose modules all resolve
ETCD_VERSION=v3.7.0          # the etcd that kube-apiserver $KUBERNETES_VERSION is built against

dir="${SEALKIT_REFERENCE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sealkit-reference}"
bin="$dir/bin"
mkdir -p "$bin"

if ! command -v go >/dev/null 2>&1; then
  echo "reference-binaries: Go is not installed; the tests that compare with kubeseal, Bitnami's controller and a real kube-apiserver will be skipped" >&2
  exit 0
fi

# A binary is rebuilt only when its version stamp differs.
built() { [ -x "$bin/$1" ] && [ "$(cat "$bin/$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" >"$bin/$1.version"; }

if ! built kubeseal "$SEALED_SECRETS_VERSION" || ! built controller "$SEALED_SECRETS_VERSION"; then
  echo "reference-binaries: building kubeseal and controller $SEALED_SECRETS_VERSION" >&2
  (cd "$dir" && GOBIN="$bin" go install \
    "github.com/bitnami-labs/sealed-secrets/cmd/kubeseal@$SEALED_SECRETS_VERSION" \
    "github.com/bitnami-labs/sealed-secrets/cmd/controller@$SEALED_SECRETS_VERSION")
  stamp kubeseal "$SEALED_SECRETS_VERSION"
  stamp controller "$SEALED_SECRETS_VERSION"
fi

# k8s.io/kubernetes and etcd's server replace their sibling modules with local folders, which
# `go install pkg@version` refuses; a small build module of ours pins them to published versions.
build_module() { # name, go.mod body, main package, output
  local mod="$dir/build/$1"
  mkdir -p "$mod"
  printf 'module sealkit.local/%s\n\ngo 1.26.0\n\n%s\n' "$1" "$2" >"$mod/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$3" >"$mod/tools.go"
  (cd "$mod" && go mod tidy && go build -trimpath -o "$bin/$4" "$3")
}

# kube-apiserver VERSION as bin/OUTPUT, its staging modules pinned to their v0.x twins.
build_kube_apiserver() {
  local version=$1 output=$2 staging twin body
  staging=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p' |
    xargs sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p')
  twin="v0.${version#v1.}"
  body="require k8s.io/kubernetes $version"$'\n\nreplace (\n'
  for m in $staging; do body+=$'\t'"$m => $m $twin"$'\n'; done
  body+=")"
  build_module "$output" "$body" k8s.io/kubernetes/cmd/kube-apiserver "$output"
  stamp "$output" "$version"
}

if ! built kube-apiserver "$KUBERNETES_VERSION"; then
  echo "reference-binaries: building kube-apiserver $KUBERNETES_VERSION (first time: about 10 minutes)" >&2
  build_kube_apiserver "$KUBERNETES_VERSION" kube-apiserver
fi

# An older API server, for test/kube-real/old-api-server.test.ts (another ~10 minutes the first time).
# v1.30 is the oldest whose modules all resolve from the Go module proxy (v1.29 needs one it refuses).
if ! built kube-apiserver-old "$KUBERNETES_OLD_VERSION"; then
  echo "reference-binaries: building kube-apiserver $KUBERNETES_OLD_VERSION as kube-apiserver-old" >&2
  build_kube_apiserver "$KUBERNETES_OLD_VERSION" kube-apiserver-old
fi

if ! built etcd "$ETCD_VERSION"; then
  echo "reference-binaries: building etcd $ETCD_VERSION" >&2
  build_module etcd "require go.etcd.io/etcd/server/v3 $ETCD_VERSION" go.etcd.io/etcd/server/v3 etcd
  stamp etcd "$ETCD_VERSION"
fi

# Our own Go oracles, from test/NAME; stamped with their sources' hash, so an edit rebuilds them.
build_oracle() { # name, version prefix
  local src version
  src="$(cd "$(dirname "$0")/.." && pwd)/test/$1"
  version="$2+$(cd "$src" && cat main.go go.mod $(find . -maxdepth 1 -name go.sum) | sha256sum | cut -c1-12)"
  if ! built "$1" "$version"; then
    echo "reference-binaries: building $1 $version" >&2
    (cd "$src" && go build -trimpath -o "$bin/$1" .)
    stamp "$1" "$version"
  fi
}
build_oracle gotemplate-oracle sprig-v3.3.0
build_oracle pq-oracle "go$(go env GOVERSION | sed 's/^go//')"

echo "reference-binaries: ready in $bin" >&2
