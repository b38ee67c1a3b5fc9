package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/pgstore"
	"github.com/eidkit/eidkit/account/storetest"
)

func dsn(t *testing.T) string {
	d := os.Getenv("EIDKIT_TEST_POSTGRES")
	if d == "" {
		t.Skip("EIDKIT_TEST_POSTGRES not set; e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return d
}

// openIsolated opens a store in its own fresh schema, dropped at clean-up.
func openIsolated(t *testing.T, d string) *pgstore.Store {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "eidkit_account_test_" + hex.EncodeToString(b)
	s, err := pgstore.Open(t.Context(), pgstore.Config{DSN: d, Schema: schema})
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, s.Close())
		conn, err := pgx.Connect(context.Background(), d)
		require.NoError(t, err)
		defer conn.Close(context.Background())
		_, err = conn.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		require.NoError(t, err)
	})
	return s
}

func TestConformance(t *testing.T) {
	d := dsn(t)
	storetest.Run(t, func(t *testing.T) account.Store { return openIsolated(t, d) })
}

func TestMigrationsIdempotent(t *testing.T) {
	d := dsn(t)
	s := openIsolated(t, d)
	var schema string
	require.NoError(t, s.DB().QueryRow(`SELECT current_schema()`).Scan(&schema))
	for range 2 {
		again, err := pgstore.Open(t.Context(), pgstore.Config{DSN: d, Schema: schema})
		require.NoError(t, err)
		var n int
		require.NoError(t, again.DB().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n))
		require.Equal(t, 1, n)
		require.NoError(t, again.Close())
	}
}

// TestTwoPoolsOneSchema: generated usernames stay unique across two
// connection pools on one schema, as across two processes (A3).
func TestTwoPoolsOneSchema(t *testing.T) {
	d := dsn(t)
	first := openIsolated(t, d)
	var schema string
	require.NoError(t, first.DB().QueryRow(`SELECT current_schema()`).Scan(&schema))
	second, err := pgstore.Open(t.Context(), pgstore.Config{DSN: d, Schema: schema})
	require.NoError(t, err)
	t.Cleanup(func() { _ = second.Close() })
	storetest.RunShared(t, first, second)
}

func TestConfigValidate(t *testing.T) {
	err := pgstore.Config{MaxConns: -1, Schema: "x; DROP TABLE"}.Validate()
	require.ErrorContains(t, err, "Schema")
	require.ErrorIs(t, err, pgstore.ErrInvalidConfig)
	require.ErrorContains(t, err, "empty DSN")
	require.ErrorContains(t, err, "MaxConns")
}
