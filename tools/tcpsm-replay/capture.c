// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the capture (libpcap: pcap and pcapng, a file or standard input)
 * frame by frame: the link layer (link.c), then the module's own parse.c on
 * the IP packet, through the fuzzers' sk_buff shim. A frame that cannot be
 * read is reported with its number and skipped; a file that cannot be read
 * on ends the replay with an error.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "replay.h"

#define MAX_WARNINGS	20	/* then only counted */
#define MAX_FRAME	262144	/* libpcap's largest snap length */

struct reader {
	struct replay *r;
	pcap_t *pcap;
	const char *path;
	int dlt;
	unsigned long frame;	/* 1 for the first, as Wireshark counts */
	unsigned long warnings;
	unsigned char *copy;	/* room for a frame whose IP header is misaligned */
};

static void warn(struct reader *rd, const char *fmt, const char *what)
{
	if (++rd->warnings > MAX_WARNINGS || rd->r->quiet)
		return;
	fprintf(stderr, "tcpsm-replay: %s: frame %lu: ", rd->path, rd->frame);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
}

/*
 * parse.c reads IP and TCP headers in place, as the kernel may, which
 * aligns them (NET_IP_ALIGN); a capture does not (Ethernet's 14 bytes):
 * such a frame is copied so that its IP header is.
 */
static const u_char *aligned(struct reader *rd, const u_char *data, unsigned int len,
			     unsigned int l3)
{
	unsigned int pad = (8 - l3 % 8) % 8;

	if (!((uintptr_t)(data + l3) % 8))
		return data;
	memcpy(rd->copy + pad, data, len);
	return rd->copy + pad;
}

static enum tcpsm_parse_result parse_frame(struct reader *rd, const struct pcap_pkthdr *h,
					   const u_char *data, struct tcpsm_pkt *p)
{
	enum tcpsm_parse_result res;
	unsigned int l3;
	bool cut = false;
	struct sk_buff skb = {
		.headlen = h->caplen,
		/* what the snap length cut off is read as not there (*cut) */
		.len = h->len > h->caplen ? h->len : h->caplen,
		.snap = h->caplen,
		.cut = &cut,
	};
	int what = link_parse(rd->dlt, data, h->caplen, &l3);

	if (h->caplen > MAX_FRAME) {
		warn(rd, "%s", "longer than any snap length: not replayed");
		return TCPSM_PARSE_NOT_TCP;
	}
	if (what == LINK_TRUNCATED) {
		warn(rd, "%s", h->caplen < h->len ? "the snap length cuts the link-layer header" :
			 "truncated link-layer header");
		return TCPSM_PARSE_NOT_TCP;
	}
	if (what == LINK_OTHER)
		return TCPSM_PARSE_NOT_TCP;
	skb.data = aligned(rd, data, h->caplen, l3);
	skb.network_offset = l3;
	res = what == LINK_IPV4 ? tcpsm_parse_ipv4(&skb, p) : tcpsm_parse_ipv6(&skb, p);
	if (cut) {
		warn(rd, "%s", "the snap length cuts the IP or TCP header: not replayed");
		return TCPSM_PARSE_NOT_TCP;
	}
	return res;
}

/* Capture time of a frame, in ticks. */
static unsigned long frame_time(const struct pcap_pkthdr *h)
{
	return (unsigned long)h->ts.tv_sec * TCPSM_HZ + (unsigned long)h->ts.tv_usec;
}

/* The clock never goes back: frames from several interfaces may be out of order. */
static void clock_to(struct replay *r, const struct pcap_pkthdr *h)
{
	if (tcpsm_time_before(r->now, frame_time(h)))
		r->now = frame_time(h);
}

static void one_frame(struct reader *rd, const struct pcap_pkthdr *h, const u_char *data)
{
	struct replay *r = rd->r;
	enum tcpsm_parse_result res;
	struct tcpsm_pkt p;

	clock_to(r, h);
	table_sweep(r);
	res = parse_frame(rd, h, data, &p);
	switch (res) {
	case TCPSM_PARSE_NOT_TCP:
		return;
	case TCPSM_PARSE_OK:
	case TCPSM_PARSE_ICMP:
		track_packet(r, &p);
		return;
	default:
		/* counted as the module counts them, at its hooks */
		stat_inc(r, TCPSM_STAT_SEGMENTS);
		stat_inc(r, tcpsm_parse_stat(res));
		warn(rd, "not replayed: %s", tcpsm_parse_result_name(res));
	}
}

/* @f if not NULL (it is then libpcap's to close), else the file at rd->path. */
static int open_capture(struct reader *rd, FILE *f)
{
	char err[PCAP_ERRBUF_SIZE];

	rd->pcap = f ? pcap_fopen_offline(f, err) : pcap_open_offline(rd->path, err);
	if (!rd->pcap) {
		if (f)
			fclose(f);
		if (!rd->r->quiet)
			fprintf(stderr, "tcpsm-replay: %s: %s\n", rd->path, err);
		return -1;
	}
	rd->dlt = pcap_datalink(rd->pcap);
	if (!link_known(rd->dlt)) {
		const char *name = pcap_datalink_val_to_name(rd->dlt);

		if (!rd->r->quiet)
			fprintf(stderr, "tcpsm-replay: %s: link type %s (%d) not supported\n",
				rd->path, name ? name : "unknown", rd->dlt);
		pcap_close(rd->pcap);
		return -1;
	}
	return 0;
}

/*
 * Replay @path ("-": standard input), or the stream @f named @path. With an
 * @at, stop at that capture time (seconds since the epoch, or since the
 * first frame if relative), the clock set there.
 */
int replay_stream(struct replay *r, const char *path, FILE *f, const struct at_spec *at)
{
	struct reader rd = { .r = r, .path = path };
	bool has_at = at && at->set;
	unsigned long stop = has_at ? (unsigned long)(at->secs * TCPSM_HZ) : 0;
	const u_char *data;
	struct pcap_pkthdr *h;
	int ret = 0, n;

	if (open_capture(&rd, f))
		return -1;
	rd.copy = malloc(MAX_FRAME + 8);
	if (!rd.copy) {
		perror("tcpsm-replay");
		pcap_close(rd.pcap);
		return -1;
	}
	for (;;) {
		n = pcap_next_ex(rd.pcap, &h, &data);
		if (n != 1)
			break;
		if (!rd.frame++ && has_at && at->relative)
			stop += frame_time(h);
		if (has_at && tcpsm_time_before(stop, frame_time(h)))
			break;
		one_frame(&rd, h, data);
	}
	if (n == PCAP_ERROR && !r->quiet) {
		/* libpcap's words: "truncated dump file; tried to read 40 ..." */
		fprintf(stderr, "tcpsm-replay: %s: frame %lu: %s\n", path, rd.frame + 1,
			pcap_geterr(rd.pcap));
	}
	if (n == PCAP_ERROR)
		ret = -1;
	if (has_at && tcpsm_time_before(r->now, stop))
		r->now = stop;
	if (rd.warnings > MAX_WARNINGS && !r->quiet)
		fprintf(stderr, "tcpsm-replay: %s: %lu more frames not replayed\n", path,
			rd.warnings - MAX_WARNINGS);
	pcap_close(rd.pcap);
	free(rd.copy);
	return ret;
}
