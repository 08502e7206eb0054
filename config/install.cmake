# install.cmake - run by `cmake --install` (top CMakeLists.txt, "install"): puts the example
# configuration, the systemd unit and its sysusers.d/tmpfiles.d entries in place, with the
# paths of the prefix given at install time (`--prefix P`, else CMAKE_INSTALL_PREFIX), so the
# installed config and unit name the installed programs and files.
#
# Needs FW_SOURCE_DIR, FW_BINARY_DIR and FW_BINDIR (relative to the prefix), set by the
# install(CODE) before it. Configuration and data files the operator edits (fleetwatch.conf,
# registry.json, zones, routes, api-tokens) are installed only where none exists yet, so a
# reinstall keeps the operator's; fleetwatch.conf.example and the systemd files are always
# replaced. DESTDIR is honoured (file(INSTALL)).

# Like GNUInstallDirs: /usr keeps its configuration in /etc and its state in /var.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(fw_sysconf /etc)
  set(fw_localstate /var)
else()
  set(fw_sysconf ${CMAKE_INSTALL_PREFIX}/etc)
  set(fw_localstate ${CMAKE_INSTALL_PREFIX}/var)
endif()
set(FW_BINDIR ${CMAKE_INSTALL_PREFIX}/${FW_BINDIR})
set(FW_CONFDIR ${fw_sysconf}/fleetwatch)
set(FW_STATEDIR ${fw_localstate}/lib/fleetwatch)
set(fw_systemd ${CMAKE_INSTALL_PREFIX}/lib)
set(fw_stage ${FW_BINARY_DIR}/install-stage)
file(REMOVE_RECURSE ${fw_stage})

# fw_install_file(<source> <dest dir> <name> [CONFIGURE] [KEEP] [MODE perms...])
function(fw_install_file src dir name)
  cmake_parse_arguments(arg "CONFIGURE;KEEP" "" "MODE" ${ARGN})
  if(arg_KEEP AND EXISTS "$ENV{DESTDIR}${dir}/${name}")
    message(STATUS "Keeping: $ENV{DESTDIR}${dir}/${name}")
    return()
  endif()
  set(staged ${fw_stage}/${name})
  if(arg_CONFIGURE)
    configure_file(${src} ${staged} @ONLY)
  else()
    configure_file(${src} ${staged} COPYONLY)
  endif()
  if(NOT arg_MODE)
    set(arg_MODE OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
  file(INSTALL ${staged} DESTINATION ${dir} FILE_PERMISSIONS ${arg_MODE})
endfunction()

set(cfg ${FW_SOURCE_DIR}/config)
set(demo ${FW_SOURCE_DIR}/tests/data/demo)
fw_install_file(${cfg}/fleetwatch.conf.in ${FW_CONFDIR} fleetwatch.conf CONFIGURE KEEP)
fw_install_file(${cfg}/fleetwatch.conf.example ${FW_CONFDIR} fleetwatch.conf.example)
fw_install_file(${cfg}/registry.example.json ${FW_CONFDIR} registry.json KEEP)
fw_install_file(${demo}/zones.geojson ${FW_CONFDIR} zones.geojson KEEP)
fw_install_file(${demo}/routes.geojson ${FW_CONFDIR} routes.geojson KEEP)
fw_install_file(${cfg}/api-tokens.example ${FW_CONFDIR} api-tokens KEEP
                MODE OWNER_READ OWNER_WRITE GROUP_READ)
fw_install_file(${cfg}/fleetwatch.service.in ${fw_systemd}/systemd/system fleetwatch.service
                CONFIGURE)
fw_install_file(${cfg}/fleetwatch.sysusers ${fw_systemd}/sysusers.d fleetwatch.conf)
fw_install_file(${cfg}/fleetwatch.tmpfiles.in ${fw_systemd}/tmpfiles.d fleetwatch.conf CONFIGURE)
file(MAKE_DIRECTORY "$ENV{DESTDIR}${FW_STATEDIR}")
