#!/bin/sh
# Run a command with a real, unlocked Secret Service (gnome-keyring) on a private D-Bus session
# and a throwaway HOME, so tests use a real keychain without touching the user's own.
# If a session bus is already there (a desktop, or .ci/run's dbus-run-session), use it as it is.
set -e
if [ -n "$DBUS_SESSION_BUS_ADDRESS" ] && [ -z "$ORGDESK_FORCE_TEST_KEYRING" ]; then
  exec "$@"
fi
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "The tests need a Secret Service: install the Debian packages dbus and gnome-keyring (see .ci/run)." >&2
  exit 1
fi
TEST_HOME=$(mktemp -d)
trap 'rm -rf "$TEST_HOME"' EXIT
export HOME="$TEST_HOME"
dbus-run-session -- sh -c 'echo orgdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
