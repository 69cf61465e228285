#!/usr/bin/env bash
# Builds the Debian package from a build directory (cpack -G DEB), installs it
# with dpkg into an empty root, checks what dpkg registered, starts the installed
# binary on the installed configuration and asks it for a page, then removes and
# purges the package. Usage: deb_install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB -B "$tmp/out" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack failed"; }
deb=$(ls "$tmp"/out/hearth_*_*.deb)
dpkg-deb --field "$deb" Package | grep -qx hearth || fail "package name"
dpkg-deb --field "$deb" Depends | grep -q libpcre2-8-0 || fail "Depends lacks the shared libraries"

# An empty dpkg database in $root. Maintainer scripts run outside a chroot with
# DPKG_ROOT set, and must then touch nothing outside $root.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status"
dpkg_root() {
  dpkg --root="$root" --force-script-chrootless --force-depends --force-not-root \
    --log=/dev/null "$@"
}
dpkg_root -i "$deb" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -i"; }
status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' hearth)
[ "$status" = "install ok installed" ] || fail "status is '$status'"
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Conffiles}\n' hearth | grep -q /etc/hearth/hearth.cfg ||
  fail "/etc/hearth/hearth.cfg is not a conffile"
for f in usr/sbin/hearth etc/hearth/hearth.cfg usr/share/man/man1/hearth.1 lib/systemd/system/hearth.service \
  usr/share/doc/hearth/LICENSE usr/share/doc/hearth/configuration.md; do
  [ -e "$root/$f" ] || fail "missing /$f"
done
[ -d "$root/var/lib/hearth" ] || fail "postinst did not create /var/lib/hearth"
"$root/usr/sbin/hearth" -vv | head -1 | grep -q "^HAProxy version 2.6.0-compatible (Hearth " ||
  fail "installed binary -vv"

# Start the installed binary on the installed configuration. Only what ties it
# to a real system changes: no 'hearth' account here, a free port, the socket
# and the chroot inside $root.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e '/^ *user hearth/d' -e '/^ *group hearth/d' -e '/^ *log \/dev\/log/d' \
  -e "s|/run/hearth/admin.sock|$tmp/admin.sock|" \
  -e "s|chroot /var/lib/hearth|chroot $root/var/lib/hearth|" \
  -e "s|bind :8080|bind 127.0.0.1:$port|" "$root/etc/hearth/hearth.cfg" >"$tmp/run.cfg"
[ "$(id -u)" = 0 ] || sed -i '/^ *chroot /d' "$tmp/run.cfg"
"$root/usr/sbin/hearth" -c -f "$tmp/run.cfg" >/dev/null || fail "installed configuration does not check"
"$root/usr/sbin/hearth" -db -f "$tmp/run.cfg" >"$tmp/hearth.log" 2>&1 &
pid=$!
body=
for _ in $(seq 1 100); do
  body=$(curl -s "http://127.0.0.1:$port/" || true)
  [ -n "$body" ] && break
  sleep 0.1
done
echo "$body" | grep -q "^Hearth is running" || { cat "$tmp/hearth.log"; fail "no page: '$body'"; }
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# Remove keeps the conffile, purge takes it and the state directory away.
dpkg_root -r hearth >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -r"; }
[ ! -e "$root/usr/sbin/hearth" ] || fail "binary left after remove"
[ -e "$root/etc/hearth/hearth.cfg" ] || fail "remove must keep the conffile"
dpkg_root --purge hearth >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg --purge"; }
[ ! -e "$root/etc/hearth/hearth.cfg" ] || fail "purge must remove the conffile"
[ ! -e "$root/var/lib/hearth" ] || fail "purge must remove /var/lib/hearth"
echo "deb_install_test: ok ($(basename "$deb"))"
