// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for tcpsm-replay's reader: arbitrary bytes as a capture,
 * through libpcap, the link layers, parse.c and the table, with every
 * output (events, table, counters) written to /dev/null.
 *
 * Input: byte 0 with its top bit set, the rest is the whole file (libpcap's
 * own header checks); else the rest follows a pcap file header whose link
 * type byte 0 picks among those the replay reads, so the fuzzer spends its
 * time in frames. Byte 1 picks max_conns (1 to 255, so evictions happen)
 * and, in its top bit, the observer: a router, or the host 10.0.0.1.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6,
	DLT_NULL, DLT_LOOP,
};

/* A pcap file header (little-endian, microseconds) with link type @dlt. */
static size_t file_header(unsigned char *h, int dlt)
{
	const uint32_t v[] = { 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, (uint32_t)dlt };

	memcpy(h, v, sizeof(v));
	return sizeof(v);
}

static void replay_bytes(const uint8_t *data, size_t size)
{
	struct replay r = { .cfg = tcpsm_defaults, .quiet = true, .events = true };
	union tcpsm_addr local = { .all = { htonl(0x0a000001) } };
	u8 local_family = AF_INET;
	unsigned char *buf;
	size_t off = 0;
	FILE *f;

	if (size < 2)
		return;
	buf = malloc(size + 24);
	if (!buf)
		return;
	if (!(data[0] & 0x80))
		off = file_header(buf, dlts[data[0] % ARRAY_SIZE(dlts)]);
	memcpy(buf + off, data + 2, size - 2);
	r.cfg.max_conns = 1 + (data[1] & 0x7f) * 2;
	if (data[1] & 0x80) {
		r.local = &local;
		r.local_family = &local_family;
		r.n_local = 1;
	}
	r.json = data[0] & 0x40;
	r.filter.state = -1;
	r.filter.port = -1;
	r.out = fopen("/dev/null", "w");
	f = fmemopen(buf, off + size - 2, "rb");
	if (r.out && f && !table_init(&r)) {
		replay_stream(&r, "fuzz", f, NULL);
		f = NULL;	/* libpcap closed it */
		print_table(&r);
		print_stats(&r);
		table_free(&r);
	}
	if (f)
		fclose(f);
	if (r.out)
		fclose(r.out);
	free(buf);
}

/* libFuzzer's entry point, named as tools/fuzz names it (checkpatch: no CamelCase) */
int fuzz_one(const uint8_t *data, size_t size) __asm__("LLVMFuzzerTestOneInput");

int fuzz_one(const uint8_t *data, size_t size)
{
	replay_bytes(data, size);
	return 0;
}
