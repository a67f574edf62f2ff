# SPDX-License-Identifier: GPL-2.0
#
# tcpsm: an RFC 793 state machine for both endpoints of every TCP connection.
#
#   make                 build tcpsm.ko against KDIR (default: the running kernel)
#   make install         the module, the uapi header, tcpsmctl and tcpsm-replay
#   make demo            the main job: boot the stock-kernel VM and watch TCP live
#                        (KERNEL=stock612: Debian's 6.12; KERNEL=test: the debug kernel)
#   make check           every test: both kernels, W=1, checkpatch, KUnit, VM tests
#   make kunit           only the KUnit suites, in the test-kernel VM
#   make checkpatch      checkpatch.pl --strict on every source file
#   make bench           the benchmark: tcpsm beside nf_conntrack, in the stock-kernel VM
#   make bench-replay    tcpsm-replay's speed beside tshark
#
# The KDIR convention is the kernel's own; everything else lives in scripts/.

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(shell pwd)

# tcpsmctl, the command-line tool (libmnl), and tcpsm-replay (libpcap): make tools
.PHONY: all modules tools clean install demo check check-full kunit checkpatch bench bench-replay \
	kernels vm-shell

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || \
		rm -rf *.o *.ko *.mod* .*.cmd modules.order Module.symvers .tmp_versions
	find module kunit -name '*.o' -o -name '.*.cmd' -o -name '*.mod*' | xargs rm -f
	$(MAKE) -C tools/tcpsmctl clean
	$(MAKE) -C tools/tcpsm-scenario clean
	$(MAKE) -C tools/tcpsm-replay clean

# What a user gets, and only that: tcpsm.ko (never the KUnit module, see
# Kbuild), the uapi header, tcpsmctl (man page, bash completion) and
# tcpsm-replay (man page); no test tool. DESTDIR is also the modules' root
# unless INSTALL_MOD_PATH says otherwise. scripts/install-check.sh checks the list.
install: modules
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(or $(INSTALL_MOD_PATH),$(DESTDIR)) \
		modules_install
	install -D -m 0644 module/uapi/linux/tcpsm.h $(DESTDIR)/usr/include/linux/tcpsm.h
	$(MAKE) -C tools/tcpsmctl install
	$(MAKE) -C tools/tcpsm-replay install

tools:
	$(MAKE) -C tools/tcpsmctl
	$(MAKE) -C tools/tcpsm-inject
	$(MAKE) -C tools/tcpsm-scenario
	$(MAKE) -C tools/tcpsm-replay

# KERNEL=stock (Debian's 6.1, the default), stock612 (Debian's 6.12) or test
demo:
	KERNEL=$(or $(KERNEL),stock) scripts/demo.sh

check:
	scripts/check.sh

check-full:
	TCPSM_FULL=1 scripts/check.sh

kunit:
	scripts/kunit-run.sh

checkpatch:
	scripts/checkpatch.sh

# BENCH='--kernel test --sizes 1000 --runs 1 --rounds 4' to change what runs
# (default: stock kernel, 10^3, 10^5 and 10^6 connections, 3 runs, 16 rounds)
bench:
	scripts/bench/bench.sh $(BENCH)

# tcpsm-replay's speed beside tshark, on a capture of short connections
bench-replay:
	$(MAKE) -C tools/tcpsm-replay
	python3 scripts/bench/replay_bench.py

kernels:
	scripts/stock-kernel.sh
	scripts/build-test-kernel.sh

# An interactive-less shell in the VM: make vm-shell CMD='ip a'
vm-shell:
	scripts/vm-run.sh --kernel $(or $(KERNEL),stock) -- $(or $(CMD),sh -c 'uname -a')
