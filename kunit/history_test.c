// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the history ring (module/history.c): what it keeps, in
 * which order, what it counts as lost, and the string /proc prints.
 */
#include <kunit/test.h>

#include "sut.h"

/* Record @n events, the i-th with ms = i, alternating client and server. */
static void fill(struct tcpsm_hist *h, unsigned int n)
{
	struct tcpsm_hist_ev *ev;
	unsigned int i;

	for (i = 0; i < n; i++) {
		ev = tcpsm_hist_add(h);
		ev->ms = i;
		ev->what = (i % __TCPSM_H_MAX) | (i % 2 ? TCPSM_HIST_SERVER : 0);
	}
}

static const unsigned int sizes[] = { 0, 1, TCPSM_HIST_HEAD, TCPSM_HIST_LEN - 1, TCPSM_HIST_LEN,
				      TCPSM_HIST_LEN + 1, 2 * TCPSM_HIST_LEN + 3, 1000 };

static void size_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u events", *n);
}

KUNIT_ARRAY_PARAM(sizes, sizes, size_desc);

/* The first TCPSM_HIST_HEAD always, then the latest, in order; the rest counted. */
static void tcpsm_hist_keeps_head_and_latest(struct kunit *test)
{
	unsigned int n = *(const unsigned int *)test->param_value, i, kept;
	struct tcpsm_hist h = {};

	fill(&h, n);
	kept = min_t(unsigned int, n, TCPSM_HIST_LEN);
	KUNIT_EXPECT_EQ(test, tcpsm_hist_kept(&h), kept);
	KUNIT_EXPECT_EQ(test, tcpsm_hist_lost(&h), n - kept);
	for (i = 0; i < kept; i++) {
		u32 want = i < TCPSM_HIST_HEAD ? i : n - kept + i;

		KUNIT_EXPECT_EQ_MSG(test, tcpsm_hist_at(&h, i)->ms, want, "event %u", i);
	}
	if (n)
		KUNIT_EXPECT_EQ(test, tcpsm_hist_last(&h)->ms, n - 1);
	else
		KUNIT_EXPECT_NULL(test, tcpsm_hist_last(&h));
}

/* A letter per event, upper case for the client's, lower for the server's. */
static void tcpsm_hist_text_letters(struct kunit *test)
{
	struct tcpsm_hist h = {};
	char text[TCPSM_HIST_TEXT];

	fill(&h, 6);
	tcpsm_hist_text(&h, text, sizeof(text));
	KUNIT_EXPECT_STREQ(test, text, "ShAdFr");
}

/* '~' where events were lost, and the string still fits its buffer. */
static void tcpsm_hist_text_marks_the_gap(struct kunit *test)
{
	struct tcpsm_hist h = {};
	char text[TCPSM_HIST_TEXT];

	fill(&h, TCPSM_HIST_LEN + 3);
	tcpsm_hist_text(&h, text, sizeof(text));
	KUNIT_EXPECT_EQ(test, strlen(text), TCPSM_HIST_LEN + 1);
	KUNIT_EXPECT_EQ(test, text[TCPSM_HIST_HEAD], '~');
	KUNIT_EXPECT_EQ(test, strncmp(text, "ShAd", TCPSM_HIST_HEAD), 0);
	/* the last one kept is event 14: enum value 14 (X, timeout), a client's */
	KUNIT_EXPECT_EQ(test, text[TCPSM_HIST_LEN], 'X');
}

/* Every enum value has its own letter, and the spec's letter for a few. */
static void tcpsm_hist_letters_are_distinct(struct kunit *test)
{
	unsigned int a, b;

	for (a = 0; a < __TCPSM_H_MAX; a++)
		for (b = a + 1; b < __TCPSM_H_MAX; b++)
			KUNIT_EXPECT_NE(test, tcpsm_hist_letter(a, 0), tcpsm_hist_letter(b, 0));
	KUNIT_EXPECT_EQ(test, tcpsm_hist_letter(TCPSM_H_SYNACK, TCPSM_ROLE_SERVER), 'h');
	KUNIT_EXPECT_EQ(test, tcpsm_hist_letter(TCPSM_H_TW_RESTART, TCPSM_ROLE_CLIENT), 'W');
	KUNIT_EXPECT_EQ(test, tcpsm_hist_letter(__TCPSM_H_MAX, TCPSM_ROLE_CLIENT), '?');
}

static struct kunit_case tcpsm_history_cases[] = {
	KUNIT_CASE_PARAM(tcpsm_hist_keeps_head_and_latest, sizes_gen_params),
	KUNIT_CASE(tcpsm_hist_text_letters),
	KUNIT_CASE(tcpsm_hist_text_marks_the_gap),
	KUNIT_CASE(tcpsm_hist_letters_are_distinct),
	{}
};

static struct kunit_suite tcpsm_history_suite = {
	.name = "tcpsm_history",
	.test_cases = tcpsm_history_cases,
};

kunit_test_suite(tcpsm_history_suite);
