// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's history (history.h).
 */
#include "history.h"

/* Indexed by enum tcpsm_hist_what; the spec's docs give the same letters. */
static const char letters[] = "SHADFRCBTWKYZIXLP";
static_assert(sizeof(letters) - 1 == __TCPSM_H_MAX, "a letter per enum tcpsm_hist_what");

struct tcpsm_hist_ev *tcpsm_hist_add(struct tcpsm_hist *h)
{
	unsigned int tail = TCPSM_HIST_LEN - TCPSM_HIST_HEAD, i;

	i = h->n < TCPSM_HIST_LEN ? h->n : TCPSM_HIST_HEAD + (h->n - TCPSM_HIST_HEAD) % tail;
	if (h->n != (u32)-1)
		h->n++;
	return &h->ev[i];
}

unsigned int tcpsm_hist_kept(const struct tcpsm_hist *h)
{
	return h->n < TCPSM_HIST_LEN ? h->n : TCPSM_HIST_LEN;
}

u32 tcpsm_hist_lost(const struct tcpsm_hist *h)
{
	return h->n - tcpsm_hist_kept(h);
}

/* The ring after the head starts at its oldest slot: the next one written. */
const struct tcpsm_hist_ev *tcpsm_hist_at(const struct tcpsm_hist *h, unsigned int i)
{
	unsigned int tail = TCPSM_HIST_LEN - TCPSM_HIST_HEAD;

	if (h->n <= TCPSM_HIST_LEN || i < TCPSM_HIST_HEAD)
		return &h->ev[i];
	i = (h->n - TCPSM_HIST_HEAD + i - TCPSM_HIST_HEAD) % tail;
	return &h->ev[TCPSM_HIST_HEAD + i];
}

struct tcpsm_hist_ev *tcpsm_hist_last(struct tcpsm_hist *h)
{
	unsigned int kept = tcpsm_hist_kept(h);

	return kept ? (struct tcpsm_hist_ev *)tcpsm_hist_at(h, kept - 1) : NULL;
}

char tcpsm_hist_letter(unsigned int what, unsigned int role)
{
	char c;

	if (what >= __TCPSM_H_MAX)
		return '?';
	c = letters[what];
	return role == TCPSM_ROLE_SERVER ? c - 'A' + 'a' : c;
}

void tcpsm_hist_text(const struct tcpsm_hist *h, char *buf, unsigned int len)
{
	unsigned int i, o = 0, kept = tcpsm_hist_kept(h);
	const struct tcpsm_hist_ev *ev;

	for (i = 0; i < kept; i++) {
		if (i == TCPSM_HIST_HEAD && tcpsm_hist_lost(h) && o + 1 < len)
			buf[o++] = '~';
		if (o + 1 >= len)
			break;
		ev = tcpsm_hist_at(h, i);
		buf[o++] = tcpsm_hist_letter(ev->what & TCPSM_HIST_WHAT, tcpsm_hist_role(ev));
	}
	buf[o] = '\0';
}
