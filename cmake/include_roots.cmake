# Layering that the compiler enforces.
#
# Every library is a folder and a target, and its headers are included by
# their path from the top of the tree ("decode/values/value.h"). The top of
# the tree is on no include path. Instead each library publishes an include
# root of its own in the build tree, holding a single link named after its
# folder (build/include/etrace_decode_values/decode/values -> decode/values),
# and a target's include path is its own root and the roots of the targets
# it links. So a file sees exactly the headers of the libraries its target
# links, and an #include of any other library's header (a renderer
# including "decode/input/record_parser.h") fails to compile with "No such
# file or directory": to include it, link it, and the link is where the
# layering is written down and reviewed.

# etrace_include_root(TARGET [HEADERS h...]): TARGET's root publishes the
# folder of the calling CMakeLists.txt, or only the HEADERS named (for a
# target that shares some of its folder's headers and not others).
function(etrace_include_root target)
  cmake_parse_arguments(ARG "" "" "HEADERS" ${ARGN})
  file(RELATIVE_PATH folder ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  file(REMOVE_RECURSE ${root})
  if(ARG_HEADERS)
    file(MAKE_DIRECTORY ${root}/${folder})
    foreach(header ${ARG_HEADERS})
      file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${header} ${root}/${folder}/${header} SYMBOLIC)
    endforeach()
  else()
    get_filename_component(parent ${root}/${folder} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${folder} SYMBOLIC)
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${root})
  else()
    target_include_directories(${target} PUBLIC ${root})
  endif()
endfunction()
