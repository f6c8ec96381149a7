#!/usr/bin/env bash
# Builds the real Kubernetes control plane the real-cluster tests start: kube-apiserver,
# kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes, etcd from
# go.etcd.io/etcd/server/v3 and kwok from sigs.k8s.io/kwok, each at one pinned release, from the Go module
# proxy. Nothing built is committed: the binaries land in a per-machine cache folder, and a second run
# with the binaries present does nothing. Also links them into the folder layout of fabric8's
# kube-api-test (~/.kubeapitest/k8s/<version>-linux-amd64/) so that tool finds them without downloading.
#
# Besides the binaries it writes kwok-stages.yaml: kwok's own default node and pod stages (the ones kwokctl
# uses), read from the pinned kwok module, since the kwok binary alone has none.
#
# Usage: real-cluster/build-control-plane.sh [--print-dir | --link LINK]
#   CACHE_HA_CONTROL_PLANE  cache folder (default ~/.cache/cache-ha/control-plane)
#   --print-dir             print the folder the binaries are (or would be) in, and exit
#   --link LINK             also make LINK a symbolic link to that folder (Maven: the module's target/)
set -euo pipefail

# One pinned release of each. k8s.io/kubernetes cannot be `go install`ed (its go.mod replaces its staging
# modules with ./staging paths), so a wrapper module requires it and replaces each staging module with
# its published v0.N.M; the list of staging modules is read from that release's own go.mod.
kubernetes_version=1.37.2
etcd_version=3.6.16
kwok_version=0.8.0

cache="${CACHE_HA_CONTROL_PLANE:-$HOME/.cache/cache-ha/control-plane}"
bin="$cache/kubernetes-$kubernetes_version-etcd-$etcd_version-kwok-$kwok_version"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)
kwok_stages=kwok-stages.yaml

link=""
case "${1:-}" in
  --print-dir)
    echo "$bin"
    exit 0
    ;;
  --link)
    link="${2:?--link needs a path}"
    ;;
  "") ;;
  *)
    echo "usage: $0 [--print-dir | --link LINK]" >&2
    exit 2
    ;;
esac

log() { printf 'build-control-plane: %s\n' "$*" >&2; }

link_kube_api_test_layout() {
  local layout="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$kubernetes_version-linux-amd64"
  mkdir -p "$layout"
  for b in etcd kube-apiserver kubectl; do ln -sfn "$bin/$b" "$layout/$b"; done
}

link_outputs() {
  link_kube_api_test_layout
  if [[ -n "$link" ]]; then
    mkdir -p "$(dirname "$link")"
    ln -sfn "$bin" "$link"
  fi
}

missing=()
for b in "${binaries[@]}"; do [[ -x "$bin/$b" ]] || missing+=("$b"); done
[[ -f "$bin/$kwok_stages" ]] || missing+=("$kwok_stages")
if [[ ${#missing[@]} -eq 0 ]]; then
  link_outputs
  log "up to date: ${binaries[*]} in $bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
build-control-plane: Go is not installed, so the real Kubernetes control plane cannot be built.
  Install Go 1.26 or newer (https://go.dev/doc/install, or your distribution's golang package) and run again,
  or skip the real-cluster tests with: mvn -B verify -Dcacheha.realCluster.skip=true
  (CI never skips them.)
MSG
  exit 3
fi

started=$SECONDS
log "building ${missing[*]} into $bin (cold: 10-25 min on 2 cores; warm Go build cache: about two minutes)"
work="$cache/src"
mkdir -p "$bin" "$work"
export CGO_ENABLED=0 GOFLAGS=-mod=mod

build_kubernetes() {
  local module="$work/kubernetes-$kubernetes_version" minor="${kubernetes_version#*.}"
  minor="${minor%%.*}"
  mkdir -p "$module"
  local gomod
  gomod="$(cd "$module" && go mod download -json "k8s.io/kubernetes@v$kubernetes_version" \
    | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  {
    echo "module cache-ha.local/control-plane/kubernetes"
    echo
    echo "go 1.26.0"
    echo
    echo "require k8s.io/kubernetes v$kubernetes_version"
    echo
    echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => \./staging/.*#\t\1 => \1 v0.'"$minor"'.'"${kubernetes_version##*.}"'#p' "$gomod"
    echo ")"
  } >"$module/go.mod"
  local version_pkg=k8s.io/component-base/version
  local ldflags="-s -w -X $version_pkg.gitVersion=v$kubernetes_version -X $version_pkg.gitMajor=1"
  ldflags+=" -X $version_pkg.gitMinor=$minor -X $version_pkg.gitTreeState=clean"
  log "k8s.io/kubernetes v$kubernetes_version ($(grep -c ' => ' "$module/go.mod") staging modules replaced)"
  (cd "$module" && go build -trimpath -ldflags "$ldflags" -o "$bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
}

build_etcd() {
  local module="$work/etcd-$etcd_version"
  mkdir -p "$module"
  printf 'module cache-ha.local/control-plane/etcd\n\ngo 1.26.0\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' \
    "$etcd_version" >"$module/go.mod"
  log "go.etcd.io/etcd/server/v3 v$etcd_version"
  (cd "$module" && go build -trimpath -ldflags "-s -w" -o "$bin/etcd" go.etcd.io/etcd/server/v3)
}

extract_kwok_stages() {
  local dir stages
  dir="$(cd "$work" && go mod download -json "sigs.k8s.io/kwok@v$kwok_version" \
    | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  stages="$dir/kustomize/stage"
  log "kwok's default stages from $stages"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    echo "---"
    cat "$stages/$f"
  done >"$bin/$kwok_stages.tmp"
  mv "$bin/$kwok_stages.tmp" "$bin/$kwok_stages"
}

build_kwok() {
  log "sigs.k8s.io/kwok v$kwok_version"
  GOBIN="$bin" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$kwok_version"
}

for b in "${missing[@]}"; do
  case "$b" in
    kube-apiserver | kube-controller-manager | kube-scheduler | kubectl) need_kubernetes=1 ;;
    etcd) need_etcd=1 ;;
    kwok) need_kwok=1 ;;
    "$kwok_stages") need_stages=1 ;;
  esac
done
[[ -n "${need_etcd:-}" ]] && build_etcd
[[ -n "${need_kwok:-}" ]] && build_kwok
[[ -n "${need_stages:-}" ]] && extract_kwok_stages
[[ -n "${need_kubernetes:-}" ]] && build_kubernetes
link_outputs
log "built ${missing[*]} in $((SECONDS - started)) s into $bin"
