# The .deb package (the app and the `rehearse` CLI): built by the Tauri CLI (prebuilt, pinned in
# src-tauri/package.json), then installed on this machine with apt, checked file by file,
# started under Xvfb over WebDriver (tests/e2e/package.test.mjs against
# /usr/bin/rehearse-desktop) and removed again.
# Needs common.sh (REPO_ROOT, CARGO_TARGET_DIR, build_app, build_cli, ensure_npm_deps, as_root); run build_ui first:
# the package embeds ui/dist.

DEB_PACKAGE_NAME="rehearse"
DEB_BINARY="/usr/bin/rehearse-desktop"
# The CLI twin, beside the app (not a Tauri binary: added through the bundle's deb files).
DEB_CLI="/usr/bin/rehearse"
DEB_DESKTOP_FILE="/usr/share/applications/Rehearse.desktop"

# Packages the debug build the E2E tests use (build_app) with `tauri bundle --debug`, which
# bundles an existing binary: nothing is compiled again (`tauri build` runs cargo itself, with its
# own environment and features, and a release build would compile everything in release mode). Sets REHEARSE_DEB to the package built.
# The bundler works on a copy of the binary in its own target folder, because it patches the
# binary it packages (it writes the bundle type into it): the test build stays untouched and
# may keep running meanwhile. The copy loses its debug information (350 MB -> 80 MB).
# The CLI goes in through a configuration merged over tauri.conf.json (`--config`), because its
# path depends on CARGO_TARGET_DIR; README shows the same for `tauri build`.
build_deb() {
  build_app
  build_cli
  ensure_npm_deps "$REPO_ROOT/src-tauri"
  local staging="$CARGO_TARGET_DIR/deb-staging"
  rm -rf "$staging" && mkdir -p "$staging/debug"
  cp "$REHEARSE_APP" "$staging/debug/"
  cp "$REHEARSE_BIN" "$staging/rehearse"
  # Debug information is three quarters of a debug binary and no use to someone installing it.
  strip --strip-debug "$staging/debug/$(basename "$REHEARSE_APP")" "$staging/rehearse"
  (cd "$REPO_ROOT/src-tauri" &&
    CARGO_TARGET_DIR="$staging" npx --no-install tauri bundle --ci --debug --bundles deb --features custom-protocol \
      --config "$(deb_cli_config "$staging/rehearse")")
  REHEARSE_DEB="$(find "$staging/debug/bundle/deb" -maxdepth 1 -iname "${DEB_PACKAGE_NAME}_*.deb" | head -n 1)"
  if [ -z "$REHEARSE_DEB" ]; then
    echo "tauri bundle made no ${DEB_PACKAGE_NAME}_*.deb in $staging/debug/bundle/deb" >&2
    return 1
  fi
  echo "Package: $REHEARSE_DEB ($(du -h "$REHEARSE_DEB" | cut -f1), $(stat -c %s "$REHEARSE_DEB") bytes); it holds:"
  dpkg-deb -c "$REHEARSE_DEB" | awk '$6 ~ /^(\.\/)?usr\/bin\/./ { sub(/^\.?\/?/, "/", $6); printf "  %s %.1f MB\n", $6, $3 / 1e6 }'
}

# tauri.conf.json's bundle > linux > deb > files, adding the CLI binary at PATH as /usr/bin/rehearse.
deb_cli_config() {
  printf '{"bundle":{"linux":{"deb":{"files":{"%s":"%s"}}}}}' "$DEB_CLI" "$1"
}

installed_packages() {
  dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }' | sort
}

# What the package must put on the machine, and the desktop entry pointing at it.
check_installed_files() {
  local missing=0 path
  for path in "$DEB_BINARY" "$DEB_CLI" "$DEB_DESKTOP_FILE"; do
    if [ ! -e "$path" ]; then
      echo "the package did not install $path" >&2
      missing=1
    fi
  done
  [ "$missing" -eq 0 ] || { echo "it installed:" >&2; dpkg -L "$DEB_PACKAGE_NAME" >&2; return 1; }
  [ -x "$DEB_BINARY" ] || { echo "$DEB_BINARY is not executable" >&2; return 1; }
  [ -x "$DEB_CLI" ] || { echo "$DEB_CLI is not executable" >&2; return 1; }
  # The CLI runs, and says which CPUs its speech recognition was built for.
  local cli_version
  cli_version="$("$DEB_CLI" --version)" || { echo "$DEB_CLI --version failed" >&2; return 1; }
  echo "Installed CLI: $cli_version"
  desktop-file-validate "$DEB_DESKTOP_FILE" || { echo "$DEB_DESKTOP_FILE is not a valid desktop entry" >&2; return 1; }
  local exec icon
  exec="$(sed -n 's/^Exec=//p' "$DEB_DESKTOP_FILE" | cut -d' ' -f1)"
  icon="$(sed -n 's/^Icon=//p' "$DEB_DESKTOP_FILE")"
  if [ "$(command -v "$exec")" != "$DEB_BINARY" ]; then
    echo "$DEB_DESKTOP_FILE starts '$exec', not $DEB_BINARY" >&2
    return 1
  fi
  local icons
  icons="$(dpkg -L "$DEB_PACKAGE_NAME" | grep -E "^/usr/share/icons/hicolor/[0-9x@]+/apps/$icon\.png$" || true)"
  if [ -z "$icons" ]; then
    echo "no icon named '$icon' (the desktop entry's Icon=) under /usr/share/icons/hicolor" >&2
    return 1
  fi
  echo "Installed: $DEB_BINARY, $DEB_CLI, $DEB_DESKTOP_FILE (Exec=$exec, Icon=$icon), icons:" $icons
  dpkg-query -W -f='Package ${Package} ${Version}, Installed-Size ${Installed-Size} KiB, Depends: ${Depends}\n' "$DEB_PACKAGE_NAME"
}

# The installed app under Xvfb over WebDriver: window title, the Practice screen, a screenshot.
run_package_e2e() {
  ensure_npm_deps "$REPO_ROOT/tests/e2e"
  local data
  data="$(mktemp -d)"
  (cd "$REPO_ROOT/tests/e2e" &&
    XDG_DATA_HOME="$data" REHEARSE_APP_BINARY="$DEB_BINARY" REHEARSE_PACKAGE_TEST=1 \
      REHEARSE_SCREENSHOT_DIR="${REHEARSE_SCREENSHOT_DIR:-$REPO_ROOT/tests/e2e/screenshots}" \
      xvfb-run -a -s "-screen 0 1280x800x24" node --test --test-concurrency=1 package.test.mjs)
  local rc=$?
  rm -rf "$data"
  return $rc
}

# Installs the package with apt (as a fresh Debian 12 user would), checks it, starts it, then
# removes it and any package apt pulled in for it: the machine is left as it was found.
test_deb_package() {
  local deb="$1"
  ensure_apt_packages desktop-file-utils
  if dpkg -s "$DEB_PACKAGE_NAME" >/dev/null 2>&1; then
    echo "SKIPPED the install test: the $DEB_PACKAGE_NAME package is already installed on this machine" >&2
    echo "and this test would replace it (apt-get remove $DEB_PACKAGE_NAME to run it)." >&2
    return 0
  fi
  local before after added rc=0
  before="$(mktemp)"
  after="$(mktemp)"
  installed_packages >"$before"
  # apt wants a path with a slash to take a local file rather than a package name.
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$(realpath "$deb")" || rc=$?
  if [ "$rc" -eq 0 ]; then
    check_installed_files && run_package_e2e || rc=$?
  fi
  installed_packages >"$after"
  added="$(comm -13 "$before" "$after" | tr '\n' ' ')"
  rm -f "$before" "$after"
  if [ -n "${added// /}" ]; then
    echo "Removing what the test installed: $added"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive as_root apt-get purge -y -qq $added >/dev/null
  fi
  if dpkg -s "$DEB_PACKAGE_NAME" >/dev/null 2>&1; then
    echo "$DEB_PACKAGE_NAME is still installed after the purge" >&2
    rc=1
  fi
  return $rc
}
