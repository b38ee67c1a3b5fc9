package policy_test

import (
	"context"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/eidkit/eidkit/account/policy"
)

// FuzzCheck feeds arbitrary passwords and context words to every profile:
// no panic, bad input only as typed errors, and violations always carry
// both messages.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "Tq7#vLp2!mXz", "1234abcd", "P@ssw0rd!2024#", "24.12.1985", "2019-03-07",
		"\xff", "a\x00b", "Ｐａｓｓ", "qwertzuiop", "bbbbb55555", "\ufdfa", "ababab"} {
		f.Add(s, "novakovaj1", "Nováková")
	}
	c, err := policy.New(policy.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, pw, user, surname string) {
		for _, prof := range []string{policy.ProfileNARP, policy.ProfileNIST} {
			res, err := c.Check(context.Background(), policy.Request{Profile: prof, Class: policy.ClassUser,
				Password: pw, Context: policy.Context{Username: user, Surname: surname}})
			if err != nil {
				if !errors.Is(err, policy.ErrInvalidUTF8) && !errors.Is(err, policy.ErrNULByte) && !errors.Is(err, policy.ErrTooLong) {
					t.Fatalf("untyped error %v", err)
				}
				continue
			}
			if !utf8.ValidString(pw) {
				t.Fatalf("invalid UTF-8 accepted")
			}
			for _, v := range res.Violations {
				if v.English == "" || v.Czech == "" || !utf8.ValidString(v.English) {
					t.Fatalf("bad violation %+v", v)
				}
			}
		}
	})
}
