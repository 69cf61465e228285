# Installation layout (`make install`, `cmake --install`) and the Debian package
# (`make package`: cpack -G DEB). Paths follow the Debian layout that the haproxy
# package uses: the binary in sbin, the configuration in /etc/hearth, the unit in
# /lib/systemd/system.
include(GNUInstallDirs)
# `make install` and cpack install what is built; they do not build the tests.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS hearth RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/docs/hearth.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/docs/configuration.md ${CMAKE_SOURCE_DIR}/docs/architecture.md
              ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
# The configuration goes to /etc/hearth for the /usr prefix (the package) and to
# PREFIX/etc/hearth otherwise. Decided when installing, not when configuring, so
# one build directory serves both `make install` and `make package`.
set(HEARTH_CFG_SOURCE ${CMAKE_SOURCE_DIR}/packaging/hearth.cfg)
install(CODE "
  # cpack installs into STAGING/usr: its etc is STAGING/etc.
  if(CMAKE_INSTALL_PREFIX MATCHES \"(^|/)usr/?$\")
    string(REGEX REPLACE \"usr/?$\" \"etc\" hearth_etc \"\${CMAKE_INSTALL_PREFIX}\")
  else()
    set(hearth_etc \"\${CMAKE_INSTALL_PREFIX}/etc\")
  endif()
  file(INSTALL DESTINATION \"\${hearth_etc}/hearth\" TYPE FILE FILES \"${HEARTH_CFG_SOURCE}\")
")
# The unit names /usr/sbin/hearth and /etc/hearth/hearth.cfg: the package's layout.
set(HEARTH_SYSTEMD_DIR "/lib/systemd/system" CACHE PATH "where the systemd unit is installed")
install(FILES ${CMAKE_SOURCE_DIR}/contrib/systemd/hearth.service DESTINATION ${HEARTH_SYSTEMD_DIR})

set(CPACK_PACKAGE_NAME hearth)
set(CPACK_PACKAGE_VENDOR "Hearth")
set(CPACK_PACKAGE_CONTACT "Hearth developers <hearth@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "reverse proxy and load balancer for TCP and HTTP/1.1 that reads haproxy.cfg")
set(CPACK_PACKAGE_DESCRIPTION
    "Hearth runs HAProxy 2.6 configurations (the supported subset) with the same behaviour, and refuses what it does not support with the file, line and keyword.")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from dpkg-shlibdeps on the binary
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/prerm ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
