/* Test types for the generic BTF renderer: compiled into a BPF object by
 * btf_fixture.bpf.c (clang emits their BTF) and into the test, which fills
 * them with known values. Plain C that means the same layout to both. */
#ifndef ETRACE_BTF_FIXTURE_TYPES_H
#define ETRACE_BTF_FIXTURE_TYPES_H

enum fixture_color { FIXTURE_RED = 1, FIXTURE_GREEN = 2, FIXTURE_BLACK = -3 };

struct fixture_inner {
	short s;
	unsigned char u;
};

union fixture_both {
	unsigned int word;
	unsigned char bytes[4];
};

typedef const volatile unsigned long fixture_cv_ulong;

struct fixture_outer {
	int i;
	unsigned int u;
	long long ll;
	struct fixture_inner in;
	union fixture_both un;
	unsigned int a : 3, b : 5;
	int c : 4;
	char name[8];
	int arr[3];
	enum fixture_color col;
	void *p;
	fixture_cv_ulong cv;
	struct {
		int anon_x;
	};
	float f;
};

struct fixture_deep0 { int v; };
struct fixture_deep1 { struct fixture_deep0 d; };
struct fixture_deep2 { struct fixture_deep1 d; };

#endif
