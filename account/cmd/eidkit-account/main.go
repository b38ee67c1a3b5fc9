package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK       = 0
	exitRejected = 1
	exitError    = 2
)

var errRejected = errors.New("eidkit-account: password rejected")

// run dispatches a subcommand; it is main without the process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitError
	}
	cmds := map[string]func(context.Context, []string, io.Reader, io.Writer) error{
		"check": cmdCheck, "explain": cmdExplain, "create": cmdCreate, "list": cmdList,
		"reset": cmdReset, "suspend": cmdSuspend, "restore": cmdRestore, "sweep": cmdSweep,
	}
	fn, ok := cmds[args[0]]
	if !ok {
		usage(stderr)
		return exitError
	}
	err := fn(ctx, args[1:], stdin, stdout)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errRejected):
		return exitRejected
	}
	fmt.Fprintln(stderr, err)
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `usage: eidkit-account <command> [flags]
commands:
  check     read a password from stdin and print every reason it breaks a profile
  explain   list where a profile departs from NIST SP 800-63B rev 4
  create    create an account with a generated username and temporary password
  list      list accounts
  reset     send a password-reset link (printed here) and notify the administrator
  suspend   suspend an account (72-hour review)
  restore   restore a suspended account
  sweep     apply deletion schedules and expiry warnings
run "eidkit-account <command> -h" for flags`)
}
