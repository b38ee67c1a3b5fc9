package account_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
)

func TestUsernameBase(t *testing.T) {
	tests := []struct{ surname, first, want string }{
		{"Nováková", "Jana", "novakovaj"}, // A3 example
		{"Šťastný", "Řehoř", "stastnyr"},  // diacritics folded
		{"Dvořák-Černá", "Eva", "dvorakcernae"},
		{"van der Berg", "Ödön", "vanderbergo"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, account.UsernameBase(tc.surname, tc.first))
	}
}

func TestCreate(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a, temp, err := e.svc.Create(ctx, admin, jana())
	require.NoError(t, err)
	require.Equal(t, "novakovaj1", a.Username, "A3: surname + first letter + number")
	require.True(t, a.MustChangePassword, "A4")
	require.NotContains(t, a.PasswordHash, temp)
	require.NoError(t, sharedPolicy().Validate(ctx, policy.Request{Profile: "narp", Class: policy.ClassUser, Password: temp}),
		"the temporary password passes the profile")
	require.GreaterOrEqual(t, len(temp), account.MinTemporaryPasswordLength)

	b, temp2, err := e.svc.Create(ctx, admin, jana())
	require.NoError(t, err)
	require.Equal(t, "novakovaj2", b.Username)
	require.NotEqual(t, temp, temp2)

	one := jana()
	one.Class = policy.ClassOneTime
	one.Role = account.RoleOriginatorII
	o, _, err := e.svc.Create(ctx, account.Actor{Name: account.SystemActor}, one)
	require.NoError(t, err)
	require.Equal(t, "puvodce1", o.Username, "A3: one-time originator accounts")

	adm := jana()
	adm.Class = policy.ClassAdministrator
	adm.Role = account.RoleLocalAdmin
	_, tempAdm, err := e.svc.Create(ctx, admin, adm)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(tempAdm), 17, "A5: administrators need 17")

	require.Equal(t, []account.Action{account.ActionCreated}, actions(t, e, a.ID))
	ev, err := e.svc.Events(ctx, a.ID, 10)
	require.NoError(t, err)
	require.Equal(t, "central-admin", ev[0].Actor)
	require.Equal(t, "10.0.0.1", ev[0].Remote)
	require.Equal(t, t0, ev[0].At)
}

func TestCreateBadInput(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		edit func(*account.NewAccount)
		want error
	}{
		{"empty first name", func(n *account.NewAccount) { n.FirstName = " " }, account.ErrEmptyName},
		{"empty surname", func(n *account.NewAccount) { n.Surname = "" }, account.ErrEmptyName},
		{"surname without usable letters", func(n *account.NewAccount) { n.Surname = "---" }, account.ErrEmptyName},
		{"bad e-mail", func(n *account.NewAccount) { n.Email = "jana at example" }, account.ErrInvalidEmail},
		{"unknown class", func(n *account.NewAccount) { n.Class = "robot" }, policy.ErrUnknownClass},
		{"no role", func(n *account.NewAccount) { n.Role = "" }, account.ErrInvalidRole},
		{"invalid UTF-8 surname", func(n *account.NewAccount) { n.Surname = "Nov\xffková" }, account.ErrInvalidText},
		{"NUL in first name", func(n *account.NewAccount) { n.FirstName = "Ja\x00na" }, account.ErrInvalidText},
		{"NUL in organisation", func(n *account.NewAccount) { n.Organisation = "NA\x00" }, account.ErrInvalidText},
		{"oversized phone", func(n *account.NewAccount) { n.Phone = strings.Repeat("1", account.MaxNameBytes+1) }, account.ErrInvalidText},
		{"invalid UTF-8 archive", func(n *account.NewAccount) { n.Archives = []string{"NA", "\xc3"} }, account.ErrInvalidText},
		{"NUL in identity", func(n *account.NewAccount) { n.Identities = []string{"eid:\x00"} }, account.ErrInvalidText},
		{"too many archives", func(n *account.NewAccount) { n.Archives = make([]string, account.MaxListItems+1) }, account.ErrInvalidText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := jana()
			tc.edit(&n)
			_, _, err := e.svc.Create(t.Context(), admin, n)
			require.ErrorIs(t, err, tc.want)
		})
	}
	list, err := e.svc.List(t.Context(), "", 10)
	require.NoError(t, err)
	require.Empty(t, list, "nothing stored for rejected input")
	_, _, err = e.svc.Create(t.Context(), admin, account.NewAccount{Surname: strings.Repeat("x", 300)})
	require.ErrorIs(t, err, account.ErrEmptyName)
	require.ErrorIs(t, err, account.ErrInvalidEmail, "every problem reported")
}

func TestConfigValidate(t *testing.T) {
	err := account.Config{MaxFailedLogins: -1, DeletionRules: []account.DeletionRule{{}}}.Validate()
	require.ErrorIs(t, err, account.ErrInvalidConfig)
	for _, s := range []string{"Store", "Notifier", "MaxFailedLogins", "DeletionRules[0]"} {
		require.ErrorContains(t, err, s)
	}
	e := newEnv(t)
	_, err = account.New(account.Config{Store: e.store, Notifier: e.note, Policy: sharedPolicy(), Profile: "owasp"})
	require.ErrorIs(t, err, policy.ErrUnknownProfile)
}

// TestDefaultHasher: with no Hasher configured, new accounts get argon2id
// at m=19 MiB, t=2, p=1.
func TestDefaultHasher(t *testing.T) {
	e := newEnv(t)
	svc, err := account.New(account.Config{Store: e.store, Notifier: e.note, Policy: sharedPolicy()})
	require.NoError(t, err)
	a, _, err := svc.Create(t.Context(), admin, jana())
	require.NoError(t, err)
	info, err := password.Parse(a.PasswordHash)
	require.NoError(t, err)
	require.Equal(t, password.AlgArgon2id, info.Algorithm)
	require.Equal(t, uint32(19*1024), info.MemoryKiB)
	require.Equal(t, uint32(2), info.Time)
	require.Equal(t, "NFKC", a.PasswordNorm, "normalisation recorded with the hash")
}

// TestImportBadUsername: an imported username must be usable text.
func TestImportBadUsername(t *testing.T) {
	e := newEnv(t)
	imp := account.ImportedAccount{NewAccount: jana(), Username: "jn\x00",
		PasswordHash: "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}
	_, err := e.svc.Import(t.Context(), admin, imp)
	require.ErrorIs(t, err, account.ErrInvalidText)
	imp.Username = "  "
	_, err = e.svc.Import(t.Context(), admin, imp)
	require.ErrorIs(t, err, account.ErrEmptyName)
}
