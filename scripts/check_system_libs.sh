#!/bin/sh
# WeasyPrint (PDF output) needs Pango >= 1.44 from the operating system.
# Installs it with apt-get when we are root on Debian/Ubuntu; otherwise says what to do.
set -eu
have_pango() { ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' && ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so'; }
# With --with-java (make test): Java for the PySpark engine tests, which are skipped without it.
if [ "${1:-}" = "--with-java" ] && ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "impactkit: installing Java for the PySpark tests (apt-get install default-jre-headless)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; } \
      || echo "impactkit: could not install Java; the PySpark tests will be skipped" >&2
  else
    echo "impactkit: no Java, so the PySpark tests will be skipped (sudo apt-get install default-jre-headless)" >&2
  fi
fi
if have_pango; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "impactkit: installing Pango for WeasyPrint (apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
  have_pango && exit 0
fi
echo "impactkit: WeasyPrint needs the Pango library (libpango-1.0-0 and libpangoft2-1.0-0)." >&2
echo "  Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core" >&2
echo "  macOS (Homebrew): brew install pango" >&2
echo "  See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html" >&2
exit 1
