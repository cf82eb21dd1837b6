# Modules (vtabs/<name>/, functions/<name>/) are found, not listed: each folder's own
# CMakeLists.txt declares its libraries with the two helpers below, so adding a module
# touches no shared build file. The one hand-kept list of what SQL sees is
# extension/registry.cpp.
#
#   sqlhunt_parser_library(<name> SOURCES ... [LIBS ...])
#       The module's pure C++ part (no sqlite3.h). Unit tests, fuzzers and benchmarks
#       link it alone (with sqlhunt_core_pure). An OBJECT library: every file is
#       linked, so static registrations (settings) are never dropped.
#   sqlhunt_adapter_library(<name> SOURCES ... [LIBS ...])
#       The thin SQLite adapter. Linked only into the extension.

function(sqlhunt_parser_library name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} OBJECT ${A_SOURCES})
  target_link_libraries(${name} PUBLIC sqlhunt_core_pure ${A_LIBS})
  set_property(GLOBAL APPEND PROPERTY SQLHUNT_PARSER_LIBS ${name})
endfunction()

function(sqlhunt_adapter_library name)
  if(SQLHUNT_FUZZ)
    return()  # fuzz builds hold the pure parsers only
  endif()
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} OBJECT ${A_SOURCES})
  target_link_libraries(${name} PUBLIC sqlhunt_core_sqlite ${A_LIBS})
  set_property(GLOBAL APPEND PROPERTY SQLHUNT_ADAPTER_LIBS ${name})
endfunction()

macro(sqlhunt_add_modules)
  file(GLOB _sqlhunt_module_lists CONFIGURE_DEPENDS
       "${PROJECT_SOURCE_DIR}/functions/*/CMakeLists.txt"
       "${PROJECT_SOURCE_DIR}/vtabs/*/CMakeLists.txt")
  list(SORT _sqlhunt_module_lists)
  foreach(_list IN LISTS _sqlhunt_module_lists)
    get_filename_component(_dir "${_list}" DIRECTORY)
    add_subdirectory("${_dir}")
  endforeach()
endmacro()
