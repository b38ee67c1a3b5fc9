package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
)

const goodPW = "Tq7#vLp2!mXz"

func TestFirstLoginMustChange(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a, temp, err := e.svc.Create(ctx, admin, jana())
	require.NoError(t, err)
	res, err := e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: temp, Remote: "192.0.2.1"})
	require.NoError(t, err)
	require.True(t, res.MustChangePassword, "A4: generated password must be changed")
	_, err = e.svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: temp}, goodPW)
	require.NoError(t, err)
	res, err = e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.NoError(t, err)
	require.False(t, res.MustChangePassword)
	require.Equal(t, t0, res.Account.LastLoginAt)
	require.Equal(t, t0.Add(365*24*time.Hour), res.PasswordExpiresAt, "A5: 12 months")
}

func TestLoginFailures(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	_, err := e.svc.Login(ctx, account.Credentials{Username: "nobody1", Password: goodPW})
	require.ErrorIs(t, err, account.ErrInvalidCredentials, "unknown user")
	for i := 1; i < account.DefaultMaxFailedLogins; i++ {
		_, err = e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: "wrong", Remote: "198.51.100.9"})
		require.ErrorIs(t, err, account.ErrInvalidCredentials, "same error as an unknown user")
	}
	require.Empty(t, e.note.take())
	_, err = e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: "wrong"})
	require.ErrorIs(t, err, account.ErrInvalidCredentials)
	got, err := e.svc.Get(ctx, a.Username)
	require.NoError(t, err)
	require.Equal(t, account.StatusSuspended, got.Status, "A9: repeated failures suspend")
	require.Equal(t, t0.Add(72*time.Hour), got.ReviewDeadline, "A9: 72-hour review")
	notes := e.note.take()
	require.Len(t, notes, 2)
	require.Equal(t, account.NotifySuspended, notes[0].Kind)
	require.Equal(t, "jana.novakova@example.cz", notes[0].Email, "the user is notified")
	require.True(t, notes[1].ToAdmin, "and the central administrator")

	_, err = e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.ErrorIs(t, err, account.ErrSuspended, "right password, suspended account")
	acts := actions(t, e, a.ID)
	require.Contains(t, acts, account.ActionSuspended)
	ev, err := e.svc.Events(ctx, a.ID, 100)
	require.NoError(t, err)
	var remotes []string
	for _, x := range ev {
		if x.Action == account.ActionLoginFailed {
			remotes = append(remotes, x.Remote)
		}
	}
	require.Contains(t, remotes, "198.51.100.9", "A11: from where")
}

func TestLoginBadInput(t *testing.T) {
	e := newEnv(t)
	a := e.createActive(t, jana(), goodPW)
	for _, tc := range []struct {
		pw   string
		want error
	}{{"a\x00b", policy.ErrNULByte}, {"\xff\xfe", policy.ErrInvalidUTF8}, {strings.Repeat("x", 1025), policy.ErrTooLong}} {
		_, err := e.svc.Login(t.Context(), account.Credentials{Username: a.Username, Password: tc.pw})
		require.ErrorIs(t, err, tc.want)
	}
	got, err := e.svc.Get(t.Context(), a.Username)
	require.NoError(t, err)
	require.Zero(t, got.FailedLogins, "bad input is not a login attempt")
}

func TestChangePasswordRejected(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	before, err := e.svc.Get(ctx, a.Username)
	require.NoError(t, err)

	_, err = e.svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: goodPW}, "novakova1234")
	var ve *policy.ViolationError
	require.ErrorAs(t, err, &ve)
	for _, c := range []policy.Code{policy.CodeNoUpper, policy.CodeNoSpecial, policy.CodeSequence, policy.CodeContextWord} {
		require.True(t, ve.Has(c), "missing %s: %v", c, err)
	}
	after, err := e.svc.Get(ctx, a.Username)
	require.NoError(t, err)
	require.Equal(t, before, after, "a rejected change leaves the account exactly as it was")
	require.Contains(t, actions(t, e, a.ID), account.ActionPasswordRejected)

	_, err = e.svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: "wrong"}, "Zz9#kRt2!wQe")
	require.ErrorIs(t, err, account.ErrInvalidCredentials)
	_, err = e.svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: goodPW}, "Zz9#kRt2!\x00wQe")
	require.ErrorIs(t, err, policy.ErrNULByte)
}

// TestPasswordHistory: A5 forbids the 12 previous passwords.
func TestPasswordHistory(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	cur := goodPW
	pws := []string{"Zz9#kRt2!wQe"}
	for i := range 12 {
		pws = append(pws, "Hx8#mPw3!"+string(rune('a'+i))+"Kf"+string(rune('A'+i)))
	}
	for _, next := range pws {
		_, err := e.svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: cur}, next)
		require.NoError(t, err, next)
		cur = next
	}
	_, err := e.svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: cur}, pws[2])
	var ve *policy.ViolationError
	require.ErrorAs(t, err, &ve)
	require.True(t, ve.Has(policy.CodeReused))
	require.Len(t, ve.Violations, 1)
	_, err = e.svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: cur}, cur)
	require.ErrorAs(t, err, &ve, "the current password is not a new one")
	_, err = e.svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: cur}, goodPW)
	require.NoError(t, err, "13 changes ago is outside the history of 12")
}

func TestPasswordExpiry(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	e.clk.Add(352 * 24 * time.Hour)
	res, err := e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.NoError(t, err)
	require.True(t, res.ExpiryWarning, "warned 14 days before")
	require.False(t, res.MustChangePassword)
	e.clk.Add(14 * 24 * time.Hour)
	res, err = e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.NoError(t, err)
	require.True(t, res.PasswordExpired, "A5: 12 months")
	require.True(t, res.MustChangePassword)
}

func TestRehashOnLogin(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	stronger := newEnvOn(t, e.store, cheapHasher(t, 128))
	_, err := stronger.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.NoError(t, err)
	got, err := e.svc.Get(ctx, a.Username)
	require.NoError(t, err)
	require.Contains(t, got.PasswordHash, "m=128,", "parameters changed: rehashed at login")
	require.Contains(t, actions(t, e, a.ID), account.ActionPasswordRehashed)
	_, err = stronger.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.NoError(t, err)
}

// TestImport: N29 accounts keep their bcrypt hash until the first login,
// which stores argon2id over the NFKC form.
func TestImport(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	bc, err := bcrypt.GenerateFromPassword([]byte("Ｓtará heslo 1!"), bcrypt.MinCost) // hashed without NFKC
	require.NoError(t, err)
	in := account.ImportedAccount{NewAccount: jana(), Username: "jnovakova", PasswordHash: string(bc)}
	a, err := e.svc.Import(ctx, admin, in)
	require.NoError(t, err)
	require.Empty(t, a.PasswordNorm)
	_, err = e.svc.Login(ctx, account.Credentials{Username: "jnovakova", Password: "Stará heslo 1!"})
	require.ErrorIs(t, err, account.ErrInvalidCredentials, "the issuer hashed the raw form")
	_, err = e.svc.Login(ctx, account.Credentials{Username: "jnovakova", Password: "Ｓtará heslo 1!"})
	require.NoError(t, err)
	got, err := e.svc.Get(ctx, "jnovakova")
	require.NoError(t, err)
	info, err := password.Parse(got.PasswordHash)
	require.NoError(t, err)
	require.Equal(t, password.AlgArgon2id, info.Algorithm)
	require.Equal(t, policy.Normalization, got.PasswordNorm)
	_, err = e.svc.Login(ctx, account.Credentials{Username: "jnovakova", Password: "Stará heslo 1!"})
	require.NoError(t, err, "now NFKC: the full-width form and the plain form are one password")

	_, err = e.svc.Import(ctx, admin, account.ImportedAccount{NewAccount: jana(), Username: "x", PasswordHash: "md5:abc"})
	require.ErrorIs(t, err, password.ErrUnsupportedAlgorithm)
}
