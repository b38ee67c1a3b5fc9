package account_test

import (
	"testing"

	"github.com/eidkit/eidkit/account"
)

// FuzzUsernameBase: names typed by administrators always fold to [a-z0-9].
func FuzzUsernameBase(f *testing.F) {
	for _, s := range [][2]string{{"Nováková", "Jana"}, {"Šťastný", "Řehoř"}, {"", ""}, {"\xff", "ǅ"}, {"ﬀ", "Ⅻ"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, surname, first string) {
		for _, r := range account.UsernameBase(surname, first) {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
				t.Fatalf("rune %q in username base", r)
			}
		}
	})
}

// FuzzCompleteResetToken: arbitrary tokens never reset an account.
func FuzzCompleteResetToken(f *testing.F) {
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("\x00\xff")
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, tok string) {
		if _, err := e.svc.CompleteReset(t.Context(), admin, tok); err == nil {
			t.Fatalf("token %q accepted", tok)
		}
	})
}
