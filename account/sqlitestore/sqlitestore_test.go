package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/sqlitestore"
	"github.com/eidkit/eidkit/account/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) account.Store {
		s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "accounts.db"))
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		return s
	})
}

// TestMigrationsIdempotent reopens the same file: migrations are applied
// once and data survives.
func TestMigrationsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accounts.db")
	s, err := sqlitestore.Open(t.Context(), path)
	require.NoError(t, err)
	require.NoError(t, s.CreateAccount(t.Context(), account.Account{ID: "a", Username: "u1", Status: account.StatusActive}))
	require.NoError(t, s.Close())
	for range 2 {
		s, err = sqlitestore.Open(t.Context(), path)
		require.NoError(t, err)
		_, err = s.GetAccount(t.Context(), "a")
		require.NoError(t, err)
		var n int
		require.NoError(t, s.DB().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n))
		require.Equal(t, 1, n)
		require.NoError(t, s.Close())
	}
}

func TestOpenEmptyPath(t *testing.T) {
	_, err := sqlitestore.Open(t.Context(), "")
	require.ErrorIs(t, err, sqlitestore.ErrEmptyPath)
}

// TestTwoHandlesOneFile: generated usernames stay unique across two
// handles on one file, as across two processes (A3).
func TestTwoHandlesOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accounts.db")
	var stores []account.Store
	for range 2 {
		s, err := sqlitestore.Open(t.Context(), path)
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		stores = append(stores, s)
	}
	storetest.RunShared(t, stores...)
}
