package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/internal/sqlstore"
)

// migrationLockKey is the advisory lock key taken while migrating.
const migrationLockKey = 0x6569646b // "eidk"

// DefaultMaxConns bounds the connection pool when Config.MaxConns is zero.
const DefaultMaxConns = 10

// Config configures Open.
type Config struct {
	// DSN is a PostgreSQL connection string (URL or key=value).
	DSN string
	// Schema holds the tables: 1-63 characters of a-z, 0-9 and _,
	// starting with a letter. Empty means "public".
	Schema string
	// MaxConns bounds open connections. Zero means DefaultMaxConns.
	MaxConns int
}

// Validate reports every problem.
func (c Config) Validate() error {
	var errs []error
	if c.DSN == "" {
		errs = append(errs, fmt.Errorf("%w: empty DSN", ErrInvalidConfig))
	} else if _, err := pgx.ParseConfig(c.DSN); err != nil {
		errs = append(errs, fmt.Errorf("%w: DSN: %w", ErrInvalidConfig, err))
	}
	if !validSchema(c.Schema) {
		errs = append(errs, fmt.Errorf("%w: Schema %q: want 1-63 of a-z, 0-9, _ starting with a letter", ErrInvalidConfig, c.Schema))
	}
	if c.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("%w: MaxConns %d < 0", ErrInvalidConfig, c.MaxConns))
	}
	return errors.Join(errs...)
}

func validSchema(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > 63 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Store is account.Store on PostgreSQL.
type Store struct {
	*sqlstore.Store
	db *sql.DB
}

var _ account.Store = (*Store)(nil)

// Open connects, creates the schema if needed and applies migrations.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pc, _ := pgx.ParseConfig(cfg.DSN) // validated above
	schema := cfg.Schema
	if schema == "" {
		schema = "public"
	}
	if err := createSchema(ctx, pc, schema); err != nil {
		return nil, err
	}
	pc.RuntimeParams["search_path"] = schema
	db := stdlib.OpenDB(*pc)
	db.SetMaxOpenConns(orDefault(cfg.MaxConns, DefaultMaxConns))
	s, err := sqlstore.New(ctx, db, sqlstore.Dialect{
		Name:           "postgres",
		Rebind:         rebind,
		IsUnique:       isUnique,
		Migrations:     sqlstore.Schema("postgres"),
		LockMigrations: "SELECT pg_advisory_xact_lock(" + strconv.Itoa(migrationLockKey) + ")",
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return &Store{Store: s, db: db}, nil
}

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

func createSchema(ctx context.Context, pc *pgx.ConnConfig, schema string) error {
	conn, err := pgx.ConnectConfig(ctx, pc)
	if err != nil {
		return fmt.Errorf("pgstore: connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "23505" { // concurrent CREATE SCHEMA races on the catalog
			return fmt.Errorf("pgstore: create schema: %w", err)
		}
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error { return s.db.Close() }

func rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
