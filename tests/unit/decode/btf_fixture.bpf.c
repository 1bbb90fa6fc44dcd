/* Built with clang -g -target bpf only for the BTF of the types it uses. */
#include "btf_fixture_types.h"

struct fixture_outer fixture_outer_instance;
struct fixture_deep2 fixture_deep_instance;
