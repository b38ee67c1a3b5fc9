package storetest

import (
	"time"

	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
)

func testAccounts(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		want := sample(1)
		got := mustCreate(t, s, want)
		want.Version = 1
		require.Equal(t, want, got, "every A2 field survives storage")
		byName, err := s.GetAccountByUsername(ctxT(t), want.Username)
		require.NoError(t, err)
		require.Equal(t, got, byName)
	})
	t.Run("ZeroTimesAndEmptyLists", func(t *testing.T) {
		s := newStore(t)
		a := account.Account{ID: "z", Username: "z1", Class: "user", Role: "staff", Status: account.StatusActive}
		got := mustCreate(t, s, a)
		require.True(t, got.LastLoginAt.IsZero())
		require.True(t, got.CreatedAt.IsZero())
		require.Nil(t, got.Archives)
	})
	t.Run("NotFound", func(t *testing.T) {
		s := newStore(t)
		_, err := s.GetAccount(ctxT(t), "nope")
		require.ErrorIs(t, err, account.ErrNotFound)
		_, err = s.GetAccountByUsername(ctxT(t), "nope")
		require.ErrorIs(t, err, account.ErrNotFound)
	})
	t.Run("AlreadyExists", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, sample(1))
		dupID := sample(2)
		dupID.ID = a.ID
		require.ErrorIs(t, s.CreateAccount(ctxT(t), dupID), account.ErrAlreadyExists)
		dupName := sample(3)
		dupName.Username = a.Username
		require.ErrorIs(t, s.CreateAccount(ctxT(t), dupName), account.ErrAlreadyExists)
		got, err := s.GetAccount(ctxT(t), a.ID)
		require.NoError(t, err)
		require.Equal(t, a, got, "failed create leaves the existing account alone")
	})
	t.Run("CreateWritesEventsAtomically", func(t *testing.T) {
		s := newStore(t)
		a := sample(1)
		require.NoError(t, s.CreateAccount(ctxT(t), a, account.Event{At: base, AccountID: a.ID, Action: account.ActionCreated}))
		dup := sample(2)
		dup.Username = a.Username
		require.Error(t, s.CreateAccount(ctxT(t), dup, account.Event{At: base, AccountID: dup.ID, Action: account.ActionCreated}))
		ev, err := s.ListEvents(ctxT(t), dup.ID, 10)
		require.NoError(t, err)
		require.Empty(t, ev, "the failed create wrote no event")
		ev, err = s.ListEvents(ctxT(t), a.ID, 10)
		require.NoError(t, err)
		require.Len(t, ev, 1)
	})
	t.Run("ListPages", func(t *testing.T) {
		s := newStore(t)
		for i := 1; i <= 5; i++ {
			mustCreate(t, s, sample(i))
		}
		page, err := s.ListAccounts(ctxT(t), "", 2)
		require.NoError(t, err)
		require.Equal(t, []string{"novakovaj1", "novakovaj2"}, usernames(page))
		page, err = s.ListAccounts(ctxT(t), "novakovaj2", 10)
		require.NoError(t, err)
		require.Equal(t, []string{"novakovaj3", "novakovaj4", "novakovaj5"}, usernames(page))
	})
}

func usernames(as []account.Account) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Username)
	}
	return out
}

func testUpdate(t *testing.T, newStore Factory) {
	t.Run("CompareAndSwap", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, sample(1))
		a.Status = account.StatusSuspended
		a.FailedLogins = 5
		got, err := s.UpdateAccount(ctxT(t), account.Update{Account: a})
		require.NoError(t, err)
		require.EqualValues(t, 2, got.Version)
		stored, err := s.GetAccount(ctxT(t), a.ID)
		require.NoError(t, err)
		require.Equal(t, got, stored)

		stale := a // still Version 1
		stale.Email = "other@example.cz"
		_, err = s.UpdateAccount(ctxT(t), account.Update{Account: stale})
		require.ErrorIs(t, err, account.ErrConflict)
		after, err := s.GetAccount(ctxT(t), a.ID)
		require.NoError(t, err)
		require.Equal(t, stored, after, "a lost CAS changes nothing")
	})
	t.Run("NotFound", func(t *testing.T) {
		s := newStore(t)
		_, err := s.UpdateAccount(ctxT(t), account.Update{Account: sample(9)})
		require.ErrorIs(t, err, account.ErrNotFound)
	})
	t.Run("AllOrNothing", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, sample(1))
		changed := a
		changed.PasswordHash = "new"
		_, err := s.UpdateAccount(ctxT(t), account.Update{Account: changed, ConsumeToken: "no-such-token", Now: base,
			PushHistory: &account.HistoryEntry{Hash: "new", ChangedAt: base}, KeepHistory: 12,
			Events: []account.Event{{At: base, AccountID: a.ID, Action: account.ActionResetCompleted}}})
		require.ErrorIs(t, err, account.ErrNotFound)
		after, err := s.GetAccount(ctxT(t), a.ID)
		require.NoError(t, err)
		require.Equal(t, a, after, "account unchanged")
		h, err := s.PasswordHistory(ctxT(t), a.ID, 12)
		require.NoError(t, err)
		require.Empty(t, h, "history unchanged")
		ev, err := s.ListEvents(ctxT(t), a.ID, 10)
		require.NoError(t, err)
		require.Empty(t, ev, "no event for a rolled-back change")
	})
}

func testDelete(t *testing.T, newStore Factory) {
	s := newStore(t)
	a := mustCreate(t, s, sample(1))
	other := mustCreate(t, s, sample(2))
	ctx := ctxT(t)
	require.NoError(t, s.CreateResetToken(ctx, account.ResetToken{Hash: "tok", AccountID: a.ID, CreatedAt: base, ExpiresAt: base.Add(time.Hour)}))
	_, err := s.UpdateAccount(ctx, account.Update{Account: a, PushHistory: &account.HistoryEntry{Hash: "h1", ChangedAt: base}, KeepHistory: 3,
		Events: []account.Event{{At: base, AccountID: a.ID, Action: account.ActionPasswordChanged}}})
	require.NoError(t, err)

	require.ErrorIs(t, s.DeleteAccount(ctx, a.ID, 1), account.ErrConflict, "stale version")
	require.NoError(t, s.DeleteAccount(ctx, a.ID, 2, account.Event{At: base, AccountID: a.ID, Action: account.ActionDeleted}))
	_, err = s.GetAccount(ctx, a.ID)
	require.ErrorIs(t, err, account.ErrNotFound)
	h, err := s.PasswordHistory(ctx, a.ID, 10)
	require.NoError(t, err)
	require.Empty(t, h)
	_, err = s.GetResetToken(ctx, "tok", base)
	require.ErrorIs(t, err, account.ErrNotFound)
	ev, err := s.ListEvents(ctx, a.ID, 10)
	require.NoError(t, err)
	require.Len(t, ev, 2, "A11: the audit trail outlives the account")
	require.Equal(t, account.ActionDeleted, ev[1].Action)
	require.ErrorIs(t, s.DeleteAccount(ctx, a.ID, 2), account.ErrNotFound, "second delete")
	_, err = s.GetAccount(ctx, other.ID)
	require.NoError(t, err, "other accounts untouched")
}
