package account_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
)

func TestReset(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	user := account.Actor{Name: a.Username, Remote: "203.0.113.5"}
	require.NoError(t, e.svc.RequestReset(ctx, user, a.Username))
	notes := e.note.take()
	require.Len(t, notes, 2)
	link, adm := notes[0], notes[1]
	require.Equal(t, account.NotifyResetLink, link.Kind)
	require.Equal(t, a.Email, link.Email, "A6: goes to the registered e-mail")
	require.Len(t, link.Token, 43, "256 bits, base64url")
	require.Equal(t, t0.Add(30*time.Minute), link.Deadline, "A6: 30 minutes")
	require.True(t, adm.ToAdmin, "A6: the central administrator is notified")
	require.Empty(t, adm.Token, "the administrator never sees the token")
	_, err := e.store.GetResetToken(ctx, link.Token, t0)
	require.ErrorIs(t, err, account.ErrNotFound, "the token is stored hashed, not in clear")
	_, err = e.store.GetResetToken(ctx, account.HashToken(link.Token), t0)
	require.NoError(t, err)

	e.clk.Add(29 * time.Minute)
	temp, err := e.svc.CompleteReset(ctx, user, link.Token)
	require.NoError(t, err)
	_, err = e.svc.CompleteReset(ctx, user, link.Token)
	require.ErrorIs(t, err, account.ErrInvalidToken, "single use")
	res, err := e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: temp})
	require.NoError(t, err)
	require.True(t, res.MustChangePassword, "A6: temporary password changed at first login")
	_, err = e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.ErrorIs(t, err, account.ErrInvalidCredentials, "old password gone")
	require.Contains(t, actions(t, e, a.ID), account.ActionResetRequested)
	require.Contains(t, actions(t, e, a.ID), account.ActionResetCompleted)
}

func TestResetExpiredAndBadTokens(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	require.NoError(t, e.svc.RequestReset(ctx, admin, a.Username))
	tok := e.note.take()[0].Token
	e.clk.Add(30 * time.Minute)
	_, err := e.svc.CompleteReset(ctx, admin, tok)
	require.ErrorIs(t, err, account.ErrInvalidToken, "expired at 30 minutes")
	for _, bad := range []string{"", "short", tok + "x", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"} {
		_, err = e.svc.CompleteReset(ctx, admin, bad)
		require.ErrorIs(t, err, account.ErrInvalidToken, bad)
	}
	before, err := e.svc.Get(ctx, a.Username)
	require.NoError(t, err)
	require.False(t, before.MustChangePassword, "failed resets change nothing")
}

func TestResetUnknownUserRevealsNothing(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.svc.RequestReset(t.Context(), admin, "nobody9"))
	require.Empty(t, e.note.take())
}

// TestResetBlockedByAdmin: A6, the central administrator blocks the
// account after the notification; the link no longer works.
func TestResetBlockedByAdmin(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	require.NoError(t, e.svc.RequestReset(ctx, account.Actor{Name: "attacker"}, a.Username))
	tok := e.note.take()[0].Token
	_, err := e.svc.Suspend(ctx, admin, a.Username, "reset not requested by the user")
	require.NoError(t, err)
	_, err = e.svc.CompleteReset(ctx, account.Actor{Name: "attacker"}, tok)
	require.ErrorIs(t, err, account.ErrSuspended)
	got, err := e.svc.Get(ctx, a.Username)
	require.NoError(t, err)
	require.False(t, got.MustChangePassword)
}
