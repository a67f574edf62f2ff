# SPDX-License-Identifier: GPL-2.0
# bash completion for tcpsmctl(8): commands, options, filters and their values.

_tcpsmctl()
{
	local cur prev words cword cmd w i
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}
	local states='closed listen syn-sent syn-recv established fin-wait-1 fin-wait-2
		close-wait closing last-ack time-wait all connected synchronized bucket big'
	local filters='state src dst sport dport port family local'
	local events='new state tw_start tw_restart tw_expire ka_probe ka_answered
		ka_dead destroy invalid icmp'

	case $prev in
	-n|--netns)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"))
		return ;;
	-c|--count|--timeout)
		return ;;
	-o|--output)
		COMPREPLY=($(compgen -W 'extended json' -- "$cur"))
		return ;;
	state)
		COMPREPLY=($(compgen -W "client server $states" -- "$cur"))
		return ;;
	client|server)
		if [[ ${words[cword-2]} == state ]]; then
			COMPREPLY=($(compgen -W "$states" -- "$cur"))
			return
		fi ;;
	family)
		COMPREPLY=($(compgen -W 'ipv4 ipv6' -- "$cur"))
		return ;;
	local)
		COMPREPLY=($(compgen -W 'client server both none' -- "$cur"))
		return ;;
	event)
		COMPREPLY=($(compgen -W "$events" -- "$cur"))
		return ;;
	src|dst|sport|dport|port)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-j --json -e --extended -o --output -n --netns
			--prometheus --ladder --dot -c --count --timeout -f --follow -V --version
			-h --help' -- "$cur"))
		return
	fi
	cmd=
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		-n|--netns|-o|--output|-c|--count|--timeout) ((i++)) ;;
		-*) ;;
		*) cmd=$w; break ;;
		esac
	done
	case $cmd in
	'')
		COMPREPLY=($(compgen -W 'list count get watch log graph stats config flush' \
			-- "$cur")) ;;
	list|count|log)
		COMPREPLY=($(compgen -W "$filters" -- "$cur")) ;;
	watch)
		COMPREPLY=($(compgen -W "$filters event" -- "$cur")) ;;
	config)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W 'msl= fin_wait_1_timeout= fin_wait_2_timeout=
			syn_sent_timeout= syn_rcvd_timeout= close_wait_timeout=
			last_ack_timeout= closing_timeout= established_timeout= close_linger=
			keepalive_time= keepalive_intvl= keepalive_probes= max_conns= pickup=
			unconfirmed_timeout=' -- "$cur")) ;;
	esac
}
complete -F _tcpsmctl tcpsmctl
