package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
)

func testHistory(t *testing.T, newStore Factory) {
	s := newStore(t)
	a := mustCreate(t, s, sample(1))
	ctx := ctxT(t)
	for i := 1; i <= 15; i++ {
		var err error
		a, err = s.UpdateAccount(ctx, account.Update{Account: a, KeepHistory: 12,
			PushHistory: &account.HistoryEntry{Hash: fmt.Sprintf("h%02d", i), Norm: "NFKC", ChangedAt: base.Add(time.Duration(i) * time.Hour)}})
		require.NoError(t, err)
	}
	h, err := s.PasswordHistory(ctx, a.ID, 100)
	require.NoError(t, err)
	require.Len(t, h, 12, "A5: trimmed to the 12 newest")
	require.Equal(t, "h15", h[0].Hash, "newest first")
	require.Equal(t, "h04", h[11].Hash)
	require.Equal(t, base.Add(15*time.Hour), h[0].ChangedAt)
	h, err = s.PasswordHistory(ctx, a.ID, 3)
	require.NoError(t, err)
	require.Len(t, h, 3)
	other, err := s.PasswordHistory(ctx, "someone-else", 12)
	require.NoError(t, err)
	require.Empty(t, other)
}

func testResetTokens(t *testing.T, newStore Factory) {
	s := newStore(t)
	ctx := ctxT(t)
	a := mustCreate(t, s, sample(1))
	b := mustCreate(t, s, sample(2))
	tok := account.ResetToken{Hash: "abc", AccountID: a.ID, CreatedAt: base, ExpiresAt: base.Add(30 * time.Minute)}
	ev := account.Event{At: base, AccountID: a.ID, Action: account.ActionResetRequested}
	require.NoError(t, s.CreateResetToken(ctx, tok, ev))
	require.ErrorIs(t, s.CreateResetToken(ctx, tok, ev), account.ErrAlreadyExists)
	events, err := s.ListEvents(ctx, a.ID, 10)
	require.NoError(t, err)
	require.Len(t, events, 1, "the duplicate token wrote no event")

	got, err := s.GetResetToken(ctx, "abc", base.Add(29*time.Minute))
	require.NoError(t, err)
	require.Equal(t, tok, got)
	_, err = s.GetResetToken(ctx, "abc", base.Add(30*time.Minute))
	require.ErrorIs(t, err, account.ErrNotFound, "A6: expired at 30 minutes")
	_, err = s.GetResetToken(ctx, "zzz", base)
	require.ErrorIs(t, err, account.ErrNotFound)

	_, err = s.UpdateAccount(ctx, account.Update{Account: b, ConsumeToken: "abc", Now: base})
	require.ErrorIs(t, err, account.ErrNotFound, "a token only resets its own account")
	_, err = s.UpdateAccount(ctx, account.Update{Account: a, ConsumeToken: "abc", Now: base.Add(31 * time.Minute)})
	require.ErrorIs(t, err, account.ErrNotFound, "expired token cannot be consumed")
	a2, err := s.UpdateAccount(ctx, account.Update{Account: a, ConsumeToken: "abc", Now: base.Add(time.Minute)})
	require.NoError(t, err)
	_, err = s.UpdateAccount(ctx, account.Update{Account: a2, ConsumeToken: "abc", Now: base.Add(2 * time.Minute)})
	require.ErrorIs(t, err, account.ErrNotFound, "single use")
	_, err = s.GetResetToken(ctx, "abc", base.Add(2*time.Minute))
	require.ErrorIs(t, err, account.ErrNotFound, "used token reads as not found")
}

func testEvents(t *testing.T, newStore Factory) {
	s := newStore(t)
	ctx := ctxT(t)
	for i := range 5 {
		require.NoError(t, s.AppendEvents(ctx, account.Event{At: base.Add(time.Duration(i) * time.Second), AccountID: "acc",
			Username: "u1", Actor: "admin", Action: account.ActionLoginFailed, Remote: "192.0.2.7", Detail: fmt.Sprint(i)}))
	}
	require.NoError(t, s.AppendEvents(ctx, account.Event{At: base, AccountID: "other", Action: account.ActionCreated}))
	ev, err := s.ListEvents(ctx, "acc", 3)
	require.NoError(t, err)
	require.Len(t, ev, 3)
	require.Equal(t, "0", ev[0].Detail, "oldest first")
	require.Less(t, ev[0].ID, ev[1].ID)
	require.Equal(t, account.Event{ID: ev[0].ID, At: base, AccountID: "acc", Username: "u1", Actor: "admin",
		Action: account.ActionLoginFailed, Remote: "192.0.2.7", Detail: "0"}, ev[0], "A11: who, what, when, from where")
}

func testUsernameCounter(t *testing.T, newStore Factory) {
	s := newStore(t)
	ctx := ctxT(t)
	for want := int64(1); want <= 3; want++ {
		n, err := s.NextUsernameNumber(ctx, "novakovaj")
		require.NoError(t, err)
		require.Equal(t, want, n)
	}
	n, err := s.NextUsernameNumber(ctx, "puvodce")
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "each base counts on its own")
}
