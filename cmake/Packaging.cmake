# The Debian package: `make deb` runs CPack's DEB generator on the Release build.
#
#   /usr/lib/<multiarch>/sqlhunt.so         the extension: `.load sqlhunt` from any folder (the
#                                           linker's system path; hence its SONAME)
#   /usr/share/doc/sqlhunt/                 README, the reference pages, copyright, changelog
#   /usr/share/sqlhunt/sql/                 the SQL of sql/ (the runbook, its views, the report)
#   /usr/share/sqlhunt/case-db, /usr/bin/sqlhunt-case-db, its manual page
#   /usr/share/sqlhunt/investigate, /usr/bin/sqlhunt-investigate, its manual page (the
#                                           runbook; beside sql/, as in the source tree)
#
# Runtime dependencies come from dpkg-shlibdeps on the extension (libcurl, c-ares,
# libmaxminddb, ...) plus python3 for sqlhunt-case-db; sqlhunt-investigate runs the
# sqlite3 shell, which is only recommended (the extension alone serves any other host;
# the script says what is missing). The GeoIP data is not packaged (64 MB, fetched by
# scripts/fetch-geoip): point SQLHUNT_DATA_DIR at it.
# tests/python/test_deb.py builds the package and checks it with dpkg-deb and lintian.
include(GNUInstallDirs)

# cpack installs what is built; it does not build (`make deb` builds first). The
# package test runs cpack while other tests use the extension: a rebuild under them
# (a new commit stamp) must not happen.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

# Debian's multiarch folder (lib/x86_64-linux-gnu), whatever the install prefix.
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(SQLHUNT_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}")
else()
  set(SQLHUNT_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
endif()
set(_doc share/doc/sqlhunt)
set(_debian ${PROJECT_SOURCE_DIR}/cmake/debian)

# A loadable module, not a library to link against: no execute bit (Debian policy 8.1).
install(TARGETS sqlhunt LIBRARY DESTINATION ${SQLHUNT_LIBDIR}
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${_doc})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${_doc} FILES_MATCHING PATTERN "*.md")
install(FILES ${_debian}/copyright DESTINATION ${_doc})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sql/ DESTINATION share/sqlhunt/sql)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/case-db ${PROJECT_SOURCE_DIR}/scripts/investigate
        DESTINATION share/sqlhunt)

# Compressed as Debian wants them (gzip -9n: no name or time inside, reproducible).
set(_gen ${PROJECT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${_gen})
foreach(_pair "changelog;changelog.gz" "sqlhunt-case-db.1;sqlhunt-case-db.1.gz"
              "sqlhunt-investigate.1;sqlhunt-investigate.1.gz")
  list(GET _pair 0 _in)
  list(GET _pair 1 _out)
  execute_process(COMMAND gzip -9nc ${_debian}/${_in} OUTPUT_FILE ${_gen}/${_out} COMMAND_ERROR_IS_FATAL ANY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_debian}/${_in})
endforeach()
install(FILES ${_gen}/changelog.gz DESTINATION ${_doc})
foreach(_tool case-db investigate)
  install(FILES ${_gen}/sqlhunt-${_tool}.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  file(CREATE_LINK ../share/sqlhunt/${_tool} ${_gen}/sqlhunt-${_tool} SYMBOLIC)
  install(FILES ${_gen}/sqlhunt-${_tool} DESTINATION ${CMAKE_INSTALL_BINDIR})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sqlhunt)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
# The synopsis, then the extended description: CPack indents it and writes an empty
# line as " .".
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SQLite extension for security investigations")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "sqlhunt turns an incident investigation into SQL: Linux audit logs, security
alerts, Windows and Office logs, network flows, indicators of compromise
pulled out of threat reports, and IP enrichment (GeoIP, RDAP, threat
intelligence) become virtual tables and functions that join with each other,
from the sqlite3 prompt or any program that loads SQLite extensions.

sqlhunt-investigate runs the investigation runbook over a case folder and
writes a self-contained HTML report; sqlhunt-case-db writes a case folder as
plain tables for tools that do not load extensions (Datasette, BI tools).")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "sqlhunt developers <sqlhunt@example.org>")
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "sqlite3")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${_debian}/triggers)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
