package account_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
	"github.com/eidkit/eidkit/account/sqlitestore"
)

// benchPasswords are 16 distinct narp-valid passwords; cycling through
// them never hits the history of 12.
func benchPasswords(b *testing.B) []string {
	var out []string
	for i := range 16 {
		pw := fmt.Sprintf("Qz%c#vLp%c!mXw%c", 'a'+i, 'A'+i, '2'+i%8)
		if err := sharedPolicy().Validate(b.Context(), policy.Request{Profile: "narp", Class: policy.ClassUser, Password: pw}); err != nil {
			b.Fatal(pw, err)
		}
		out = append(out, pw)
	}
	return out
}

func benchService(b *testing.B, chk *policy.Checker, profile string) *account.Service {
	st, err := sqlitestore.Open(b.Context(), filepath.Join(b.TempDir(), "a.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	h, err := password.New(password.Config{}) // defaults: m=19 MiB, t=2, p=1
	if err != nil {
		b.Fatal(err)
	}
	svc, err := account.New(account.Config{Store: st, Notifier: &recorder{}, Hasher: h, Policy: chk, Profile: profile})
	if err != nil {
		b.Fatal(err)
	}
	return svc
}

// BenchmarkLogin is one login at the default argon2id parameters: one
// verification, no history read.
func BenchmarkLogin(b *testing.B) {
	svc := benchService(b, sharedPolicy(), "narp")
	a, temp, err := svc.Create(b.Context(), admin, jana())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := svc.Login(b.Context(), account.Credentials{Username: a.Username, Password: temp}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChangePassword compares a change under narp (history of 12,
// each checked with argon2id) with the same profile without history: the
// history cost is paid only here, never at login.
func BenchmarkChangePassword(b *testing.B) {
	noHist := policy.NARP()
	noHist.Name, noHist.History = "narp-no-history", 0
	chk, err := policy.New(policy.Config{Profiles: []policy.Profile{policy.NARP(), noHist}})
	if err != nil {
		b.Fatal(err)
	}
	for _, prof := range []string{"narp", "narp-no-history"} {
		b.Run(prof, func(b *testing.B) {
			svc := benchService(b, chk, prof)
			pws := benchPasswords(b)
			a, cur, err := svc.Create(b.Context(), admin, jana())
			if err != nil {
				b.Fatal(err)
			}
			for _, pw := range pws[:13] { // fill the history
				if _, err := svc.ChangePassword(b.Context(), account.Credentials{Username: a.Username, Password: cur}, pw); err != nil {
					b.Fatal(err)
				}
				cur = pw
			}
			i := 13
			for b.Loop() {
				next := pws[i%len(pws)]
				if _, err := svc.ChangePassword(b.Context(), account.Credentials{Username: a.Username, Password: cur}, next); err != nil {
					b.Fatal(err)
				}
				cur, i = next, i+1
			}
		})
	}
}
