package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/eidkit/eidkit/account/policy"
)

func cmdCheck(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	prof := fs.String("profile", policy.ProfileNARP, "profile name or name@version")
	class := fs.String("class", string(policy.ClassUser), "account class: user, administrator, application, one-time")
	second := fs.Bool("second-factor", false, "the account also uses a second factor")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	var c policy.Context
	fs.StringVar(&c.Username, "username", "", "login name the password may not contain")
	fs.StringVar(&c.Email, "email", "", "e-mail the password may not contain")
	fs.StringVar(&c.FirstName, "first", "", "first name")
	fs.StringVar(&c.Surname, "surname", "", "surname")
	fs.StringVar(&c.SystemName, "system", "", "system or application name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	chk, err := policy.New(policy.Config{})
	if err != nil {
		return err
	}
	res, err := chk.Check(ctx, policy.Request{Profile: *prof, Class: policy.Class(*class), SecondFactor: *second,
		Password: pw, Context: c})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		printResult(stdout, res)
	}
	if !res.OK() {
		return errRejected
	}
	return nil
}

// readPassword reads the first line of stdin; the trailing newline is not
// part of the password.
func readPassword(r io.Reader) (string, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, policy.MaxPasswordBytes+2), policy.MaxPasswordBytes+2)
	line, err := br.ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("eidkit-account: reading password: %w", err)
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

func printResult(w io.Writer, res policy.Result) {
	if res.OK() {
		fmt.Fprintf(w, "OK: the password meets %s\n", res.Profile)
		return
	}
	fmt.Fprintf(w, "REJECTED by %s (%d reasons):\n", res.Profile, len(res.Violations))
	for _, v := range res.Violations {
		fmt.Fprintf(w, "  %-20s %s\n  %-20s %s\n", v.Code, v.English, "", v.Czech)
	}
}

func cmdExplain(_ context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	prof := fs.String("profile", policy.ProfileNARP, "profile name or name@version")
	if err := fs.Parse(args); err != nil {
		return err
	}
	chk, err := policy.New(policy.Config{})
	if err != nil {
		return err
	}
	p, err := chk.Profile(*prof)
	if err != nil {
		return err
	}
	deps := policy.Explain(p)
	if len(deps) == 0 {
		fmt.Fprintf(stdout, "%s follows NIST SP 800-63B rev 4\n", p.ID())
		return nil
	}
	fmt.Fprintf(stdout, "%s departs from NIST SP 800-63B rev 4:\n", p.ID())
	for _, d := range deps {
		fmt.Fprintf(stdout, "- %s: %s\n  NIST: %s\n  why: %s\n", d.Aspect, d.Profile, d.NIST, d.Reason)
	}
	return nil
}
