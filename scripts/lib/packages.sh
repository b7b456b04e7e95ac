# Sourced by scripts/test and scripts/demo: installs the Debian packages that are missing.
# Build dependencies of storepulse (Debian 12 package names).
build_packages=(
  build-essential cmake pkg-config
  libzmq3-dev cppzmq-dev libsqlite3-dev libsqlitecpp-dev libmsgpack-cxx-dev
  libboost-program-options-dev googletest libgtest-dev libbenchmark-dev libcpp-httplib-dev
  nlohmann-json3-dev libsystemd-dev libhowardhinnant-date-dev tzdata libpqxx-dev libpq-dev
  libssl-dev libpugixml-dev
  openssl  # the tests make their TLS certificates with it (tests/hostile/http_access_test.cc)
)

# ensure_packages NAME…: apt-get installs those not installed yet (needs root).
ensure_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  echo "installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root (or install these packages first): ${missing[*]}" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}
