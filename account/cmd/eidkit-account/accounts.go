package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/pgstore"
	"github.com/eidkit/eidkit/account/policy"
	"github.com/eidkit/eidkit/account/sqlitestore"
)

// storeFlags selects the store and the acting operator.
type storeFlags struct {
	db, pg, schema, actor, remote string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.db, "db", "", "SQLite database file")
	fs.StringVar(&f.pg, "pg", "", "PostgreSQL DSN (instead of -db)")
	fs.StringVar(&f.schema, "schema", "", "PostgreSQL schema (default public)")
	fs.StringVar(&f.actor, "actor", "operator", "who is acting, for the audit trail")
	fs.StringVar(&f.remote, "remote", "cli", "where from, for the audit trail")
}

// printNotifier prints notifications for the operator to deliver.
type printNotifier struct{ w io.Writer }

// Notify prints one notification.
func (p printNotifier) Notify(_ context.Context, n account.Notification) error {
	to := n.Email
	if n.ToAdmin {
		to = "central administrator"
	}
	line := fmt.Sprintf("notify %s: %s for %s", to, n.Kind, n.Username)
	if n.Token != "" {
		line += " token=" + n.Token
	}
	if !n.Deadline.IsZero() {
		line += " until " + n.Deadline.Format("2006-01-02 15:04 MST")
	}
	_, err := fmt.Fprintln(p.w, line)
	return err
}

func (f *storeFlags) open(ctx context.Context, out io.Writer) (*account.Service, func(), error) {
	var st account.Store
	var closer func() error
	switch {
	case f.db != "" && f.pg != "":
		return nil, nil, errors.New("eidkit-account: use -db or -pg, not both")
	case f.db != "":
		s, err := sqlitestore.Open(ctx, f.db)
		if err != nil {
			return nil, nil, err
		}
		st, closer = s, s.Close
	case f.pg != "":
		s, err := pgstore.Open(ctx, pgstore.Config{DSN: f.pg, Schema: f.schema})
		if err != nil {
			return nil, nil, err
		}
		st, closer = s, s.Close
	default:
		return nil, nil, errors.New("eidkit-account: -db or -pg is required")
	}
	svc, err := account.New(account.Config{Store: st, Notifier: printNotifier{out}})
	if err != nil {
		_ = closer()
		return nil, nil, err
	}
	return svc, func() { _ = closer() }, nil
}

func (f *storeFlags) who() account.Actor { return account.Actor{Name: f.actor, Remote: f.remote} }

func cmdCreate(ctx context.Context, args []string, _ io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("create", flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	var n account.NewAccount
	var class, role string
	fs.StringVar(&n.FirstName, "first", "", "first name")
	fs.StringVar(&n.Surname, "surname", "", "surname")
	fs.StringVar(&n.Email, "email", "", "registered e-mail")
	fs.StringVar(&n.Phone, "phone", "", "phone")
	fs.StringVar(&n.Organisation, "org", "", "organisation")
	fs.StringVar(&class, "class", string(policy.ClassUser), "user, administrator, application, one-time")
	fs.StringVar(&role, "role", string(account.RoleResearcher), "role, e.g. researcher, originator-ii, staff")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n.Class, n.Role = policy.Class(class), account.Role(role)
	svc, done, err := sf.open(ctx, out)
	if err != nil {
		return err
	}
	defer done()
	a, temp, err := svc.Create(ctx, sf.who(), n)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created %s (id %s)\ntemporary password: %s\n(must be changed at first login)\n", a.Username, a.ID, temp)
	return nil
}

func cmdList(ctx context.Context, args []string, _ io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	after := fs.String("after", "", "start after this username")
	limit := fs.Int("limit", 100, "maximum accounts to list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, done, err := sf.open(ctx, out)
	if err != nil {
		return err
	}
	defer done()
	list, err := svc.List(ctx, *after, *limit)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tNAME\tCLASS\tROLE\tSTATUS\tLAST LOGIN")
	for _, a := range list {
		last := "never"
		if !a.LastLoginAt.IsZero() {
			last = a.LastLoginAt.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\t%s\n", a.Username, a.FirstName, a.Surname, a.Class, a.Role, a.Status, last)
	}
	return tw.Flush()
}

func cmdReset(ctx context.Context, args []string, _ io.Reader, out io.Writer) error {
	return withUser(ctx, "reset", args, out, func(svc *account.Service, sf storeFlags, user, _ string) error {
		return svc.RequestReset(ctx, sf.who(), user)
	})
}

func cmdSuspend(ctx context.Context, args []string, _ io.Reader, out io.Writer) error {
	return withUser(ctx, "suspend", args, out, func(svc *account.Service, sf storeFlags, user, reason string) error {
		a, err := svc.Suspend(ctx, sf.who(), user, reason)
		if err == nil {
			fmt.Fprintf(out, "suspended %s; review by %s\n", a.Username, a.ReviewDeadline.Format("2006-01-02 15:04 MST"))
		}
		return err
	})
}

func cmdRestore(ctx context.Context, args []string, _ io.Reader, out io.Writer) error {
	return withUser(ctx, "restore", args, out, func(svc *account.Service, sf storeFlags, user, _ string) error {
		a, err := svc.Restore(ctx, sf.who(), user)
		if err == nil {
			fmt.Fprintf(out, "restored %s\n", a.Username)
		}
		return err
	})
}

func withUser(ctx context.Context, name string, args []string, out io.Writer,
	fn func(*account.Service, storeFlags, string, string) error) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	user := fs.String("username", "", "account username")
	reason := fs.String("reason", "", "reason, for the audit trail and the user")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" {
		return errors.New("eidkit-account: -username is required")
	}
	svc, done, err := sf.open(ctx, out)
	if err != nil {
		return err
	}
	defer done()
	return fn(svc, sf, *user, *reason)
}

func cmdSweep(ctx context.Context, args []string, _ io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, done, err := sf.open(ctx, out)
	if err != nil {
		return err
	}
	defer done()
	rep, err := svc.Sweep(ctx)
	if err != nil {
		return err
	}
	for _, d := range rep.Deleted {
		fmt.Fprintf(out, "deleted %s (%s): %s; notified=%t\n", d.Username, d.Role, d.Reason, d.Notified)
	}
	for _, u := range rep.ExpiryWarned {
		fmt.Fprintf(out, "warned %s: password expires soon\n", u)
	}
	for _, u := range rep.OverdueReviews {
		fmt.Fprintf(out, "overdue review: %s\n", u)
	}
	return errors.Join(rep.Errors...)
}
