#!/usr/bin/env bash
# The .deb packages under a real systemd: boots this machine's own OS in a container
# (systemd-nspawn, private network, /usr as a throw-away overlay, copies of /etc and the dpkg
# database), installs the packages, and runs central and one edge through their hardened units:
# both become ready (Type=notify), an event replicates, reload re-reads the stores file, and
# both stop cleanly. `systemd-analyze verify` and `security` read the units; only this runs them
# (the system-call filter, address families, user namespace, StateDirectory…).
# Usage: systemd_boot_test.sh DEB_DIR. Exit 77 (skipped) without root or systemd-nspawn.
set -euo pipefail

deb_dir="$1"
skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to boot a container"
command -v systemd-nspawn >/dev/null || skip "systemd-nspawn missing (Debian package systemd-container)"
[ -x /usr/lib/systemd/systemd ] || skip "systemd missing (Debian package systemd)"

work="$(mktemp -d /tmp/storepulse-boot.XXXXXX)"
root="$work/root"
leader=""
nspawn_pid=""
cleanup() {
  if [ -n "$leader" ]; then nsenter -t "$leader" -a systemctl poweroff >/dev/null 2>&1 || true; fi
  for _ in $(seq 50); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
  if [ -n "$nspawn_pid" ]; then kill -KILL "$nspawn_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A root of its own: /etc and the dpkg database copied, the rest created or overlaid.
mkdir -p "$root"/{etc,usr,root,tmp,run,home,var/lib,var/log,var/cache,var/tmp} "$work/usr-upper"
cp -a /etc/. "$root/etc/"
rm -f "$root/etc/os-release" "$root/etc/machine-id"
cp /usr/lib/os-release "$root/etc/os-release"  # nspawn checks it before /usr is mounted
: >"$root/etc/machine-id"
cp -a /var/lib/dpkg "$root/var/lib/"
for d in bin lib lib64 sbin; do ln -s "usr/$d" "$root/$d"; done
cp "$deb_dir"/storepulse-*.deb "$root/root/"

systemd-nspawn --quiet --register=no --keep-unit --private-network --console=pipe --boot \
  -D "$root" --overlay=/usr:"$work/usr-upper":/usr -M storepulse-boot-test \
  >"$work/console.log" 2>&1 &
nspawn_pid=$!
for _ in $(seq 100); do  # the container's init: nspawn's child once it has exec'd systemd
  leader="$(pgrep -P "$nspawn_pid" -x systemd || true)"
  [ -z "$leader" ] || break
  kill -0 "$nspawn_pid" 2>/dev/null || { cat "$work/console.log"; skip "the container did not boot"; }
  sleep 0.2
done
[ -n "$leader" ] || skip "no systemd in the container"
# "degraded" is fine: some of the host's units do not start in a container.
timeout 60 nsenter -t "$leader" -a systemctl is-system-running --wait >/dev/null 2>&1 || true
inside() { nsenter -t "$leader" -a "$@"; }

# The test script proper, inside the container. Keys: the libzmq documentation's test pairs.
inside sh -euc '
fail() { echo "FAILED: $*"; journalctl -u storepulse-edge -u storepulse-central --no-pager | tail -40; exit 1; }
wait_for() {  # wait_for SECONDS COMMAND…: until COMMAND succeeds
  t=$(( $1 * 5 )); shift
  while ! "$@" >/dev/null 2>&1; do t=$((t - 1)); [ $t -gt 0 ] || return 1; sleep 0.2; done
}
rm -f /usr/sbin/policy-rc.d  # a container image may forbid starting services; this one may
cd /root
dpkg -i ./storepulse-*.deb >/root/dpkg.log 2>&1 || { cat /root/dpkg.log; fail "the packages do not install"; }
id storepulse >/dev/null || fail "no user storepulse"
[ "$(stat -c %U:%G:%a /etc/storepulse)" = root:storepulse:750 ] || fail "/etc/storepulse mode"
systemctl is-enabled storepulse-edge storepulse-central >/dev/null || fail "units not enabled"
systemctl is-active storepulse-edge >/dev/null && fail "an unconfigured edge was started"

cd /etc/storepulse
echo "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6" >central.key
echo "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7" >central.pub
echo "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs" >edge.key
chgrp storepulse central.key edge.key && chmod 0640 central.key edge.key
printf "store,public_key,name,region,timezone,area_m2\n" >stores.csv
printf "S001,Yne@\$w-vo<fVvi]a<NY6T1ed:M\$fCG*[IaLV{hID,Boot test,EU,Europe/Paris,100\n" >>stores.csv
cat >>edge.conf <<EOF
store = S001
timezone = Europe/Paris
central-endpoint = tcp://127.0.0.1:7600
central-public-key = /etc/storepulse/central.pub
secret-key-file = /etc/storepulse/edge.key
EOF

systemctl start storepulse-central storepulse-edge || fail "the services do not start"
[ "$(systemctl show -p StatusText --value storepulse-edge)" = "store S001 ingesting" ] ||
  fail "the edge did not report READY"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
curl -sf -X POST http://127.0.0.1:8601/api/v1/events \
  -d "{\"id\":\"boot-1\",\"type\":\"footfall\",\"ts\":\"$now\",\"sensor\":\"d1\",\"period_s\":900,\"in\":3,\"out\":2}" |
  grep -q "\"accepted\":1" || fail "the edge did not accept an event"
acked() { curl -sf http://127.0.0.1:8601/api/v1/status | grep -q "\"acked_seq\":1"; }
wait_for 20 acked || fail "the event did not replicate"
[ "$(stat -c %U /var/lib/storepulse/edge/edge.db)" = storepulse ] || fail "edge.db owner"
[ "$(stat -c %a /var/lib/storepulse/edge/edge.db)" = 640 ] || fail "edge.db mode (UMask)"

systemctl reload storepulse-central || fail "reload"
reloaded() { journalctl -u storepulse-central --no-pager | grep -q "stores file reloaded: 1 stores"; }
wait_for 10 reloaded || fail "reload did not re-read the stores file"

systemctl stop storepulse-edge storepulse-central
for unit in storepulse-edge storepulse-central; do
  [ "$(systemctl show -p Result --value $unit)" = success ] || fail "$unit did not stop cleanly"
  journalctl -u $unit --no-pager | grep -q "stopped cleanly" || fail "$unit: no clean stop"
done
echo "storepulse packages ran under systemd: ready, replicated, reloaded, stopped cleanly"
'
