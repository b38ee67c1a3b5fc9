package account_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
)

func TestSuspendRestoreCancel(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, jana(), goodPW)
	s, err := e.svc.ReportSuspicious(ctx, admin, a.Username, "200 logins from 198.51.100.0/24 in a minute")
	require.NoError(t, err)
	require.Equal(t, account.StatusSuspended, s.Status)
	require.Equal(t, t0.Add(72*time.Hour), s.ReviewDeadline, "A9")
	notes := e.note.take()
	require.Len(t, notes, 2)
	require.Contains(t, notes[0].Reason, "suspicious login")

	_, err = e.svc.Suspend(ctx, admin, a.Username, "again")
	require.ErrorIs(t, err, account.ErrInvalidState)
	r, err := e.svc.Restore(ctx, admin, a.Username)
	require.NoError(t, err)
	require.Equal(t, account.StatusActive, r.Status)
	require.True(t, r.ReviewDeadline.IsZero())
	_, err = e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.NoError(t, err)

	_, err = e.svc.Cancel(ctx, admin, a.Username, "x")
	require.ErrorIs(t, err, account.ErrInvalidState, "only a suspended account is cancelled")
	_, err = e.svc.Suspend(ctx, admin, a.Username, "second incident")
	require.NoError(t, err)
	c, err := e.svc.Cancel(ctx, admin, a.Username, "confirmed misuse")
	require.NoError(t, err)
	require.Equal(t, account.StatusCancelled, c.Status)
	_, err = e.svc.Login(ctx, account.Credentials{Username: a.Username, Password: goodPW})
	require.ErrorIs(t, err, account.ErrCancelled)

	require.Equal(t, account.ActionCreated, actions(t, e, a.ID)[0])
	acts := actions(t, e, a.ID)
	for _, want := range []account.Action{account.ActionSuspended, account.ActionRestored, account.ActionCancelled} {
		require.Contains(t, acts, want)
	}
	_, err = e.svc.Suspend(ctx, admin, "nobody", "x")
	require.ErrorIs(t, err, account.ErrNotFound)
}
