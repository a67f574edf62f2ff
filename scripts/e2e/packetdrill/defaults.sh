#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The init command of tcpsm's own packetdrill scripts, run by packetdrill in
# the script's fresh network namespace: the few settings the scripts assume,
# whatever the kernel's defaults. No timestamps and no SACK are offered by
# the scripted peer, so the socket's segments carry neither.

sysctl -q net.ipv4.tcp_syn_retries=5
# no tail loss probes: a lost segment is retransmitted by the RTO alone
sysctl -q net.ipv4.tcp_early_retrans=0
# tun0's default qdisc may pace (fq); packetdrill's timing wants none
tc qdisc add dev tun0 root pfifo
