# Writes a C++ source defining `const char NAME[]` as the text of a file, so
# a data file of the repository is built into the programs that read it:
#   cmake -DIN=file.txt -DOUT=file.cpp -DNAME=kText -DNAMESPACE=etrace::format -P embed-text.cmake
file(READ "${IN}" content)
string(FIND "${content}" ")etrace_text\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw string's delimiter")
endif()
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\nnamespace ${NAMESPACE} {\nextern const char ${NAME}[];\nconst char ${NAME}[] = R\"etrace_text(${content})etrace_text\";\n}\n")
