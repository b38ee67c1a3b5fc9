package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/policy"
)

const accountCols = `id, username, class, role, status, first_name, surname, email, phone, organisation,
archives, identities, password_hash, password_norm, password_changed_at, must_change, second_factor,
failed_logins, last_login_at, card_expires_at, procedure_end_at, expiry_warned_at, suspended_at,
review_deadline, suspend_reason, created_at, updated_at, version`

func accountArgs(a account.Account) []any {
	return []any{a.ID, a.Username, string(a.Class), string(a.Role), string(a.Status), a.FirstName, a.Surname,
		a.Email, a.Phone, a.Organisation, listJSON(a.Archives), listJSON(a.Identities), a.PasswordHash,
		a.PasswordNorm, micros(a.PasswordChangedAt), b2i(a.MustChangePassword), b2i(a.SecondFactor),
		int64(a.FailedLogins), micros(a.LastLoginAt), micros(a.CardExpiresAt), micros(a.ProcedureEndAt),
		micros(a.ExpiryWarnedAt), micros(a.SuspendedAt), micros(a.ReviewDeadline), a.SuspendReason,
		micros(a.CreatedAt), micros(a.UpdatedAt), a.Version}
}

type scanner interface{ Scan(dest ...any) error }

func scanAccount(r scanner) (account.Account, error) {
	var a account.Account
	var class, role, status, archives, identities string
	var changed, must, second, failed, last, card, proc, warned, susp, review, created, updated int64
	err := r.Scan(&a.ID, &a.Username, &class, &role, &status, &a.FirstName, &a.Surname, &a.Email, &a.Phone,
		&a.Organisation, &archives, &identities, &a.PasswordHash, &a.PasswordNorm, &changed, &must, &second,
		&failed, &last, &card, &proc, &warned, &susp, &review, &a.SuspendReason, &created, &updated, &a.Version)
	if err != nil {
		return account.Account{}, err
	}
	a.Class, a.Role, a.Status = policy.Class(class), account.Role(role), account.Status(status)
	if a.Archives, err = parseList(archives); err != nil {
		return account.Account{}, err
	}
	if a.Identities, err = parseList(identities); err != nil {
		return account.Account{}, err
	}
	a.PasswordChangedAt, a.LastLoginAt, a.CardExpiresAt = fromMicros(changed), fromMicros(last), fromMicros(card)
	a.ProcedureEndAt, a.ExpiryWarnedAt, a.SuspendedAt = fromMicros(proc), fromMicros(warned), fromMicros(susp)
	a.ReviewDeadline, a.CreatedAt, a.UpdatedAt = fromMicros(review), fromMicros(created), fromMicros(updated)
	a.MustChangePassword, a.SecondFactor, a.FailedLogins = must != 0, second != 0, int(failed)
	return a, nil
}

// CreateAccount implements account.Store.
func (s *Store) CreateAccount(ctx context.Context, a account.Account, events ...account.Event) error {
	a.Version = 1
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO accounts (`+accountCols+`) VALUES
			(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`), accountArgs(a)...); err != nil {
			return err
		}
		return s.insertEvents(ctx, tx, events)
	})
	return s.wrap("create account", err)
}

// GetAccount implements account.Store.
func (s *Store) GetAccount(ctx context.Context, id string) (account.Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, s.q(`SELECT `+accountCols+` FROM accounts WHERE id = ?`), id))
	return a, s.wrap("get account", err)
}

// GetAccountByUsername implements account.Store.
func (s *Store) GetAccountByUsername(ctx context.Context, username string) (account.Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, s.q(`SELECT `+accountCols+` FROM accounts WHERE username = ?`), username))
	return a, s.wrap("get account by username", err)
}

// ListAccounts implements account.Store.
func (s *Store) ListAccounts(ctx context.Context, after string, limit int) ([]account.Account, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+accountCols+` FROM accounts WHERE username > ? ORDER BY username LIMIT ?`), after, limit)
	if err != nil {
		return nil, s.wrap("list accounts", err)
	}
	defer rows.Close()
	var out []account.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, s.wrap("list accounts", err)
		}
		out = append(out, a)
	}
	return out, s.wrap("list accounts", rows.Err())
}

// UpdateAccount implements account.Store.
func (s *Store) UpdateAccount(ctx context.Context, u account.Update) (account.Account, error) {
	a := u.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		args := append(accountArgs(a)[1:27], a.ID, a.Version)
		res, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET username=?, class=?, role=?, status=?, first_name=?,
			surname=?, email=?, phone=?, organisation=?, archives=?, identities=?, password_hash=?, password_norm=?,
			password_changed_at=?, must_change=?, second_factor=?, failed_logins=?, last_login_at=?, card_expires_at=?,
			procedure_end_at=?, expiry_warned_at=?, suspended_at=?, review_deadline=?, suspend_reason=?, created_at=?,
			updated_at=?, version=version+1 WHERE id=? AND version=?`), args...)
		if err != nil {
			return err
		}
		if err := s.checkCAS(ctx, tx, res, a.ID); err != nil {
			return err
		}
		if u.ConsumeToken != "" {
			if err := s.consumeToken(ctx, tx, u.ConsumeToken, a.ID, u.Now); err != nil {
				return err
			}
		}
		if u.PushHistory != nil {
			if err := s.pushHistory(ctx, tx, a.ID, *u.PushHistory, u.KeepHistory); err != nil {
				return err
			}
		}
		return s.insertEvents(ctx, tx, u.Events)
	})
	if err != nil {
		return account.Account{}, s.wrap("update account", err)
	}
	a.Version++
	return a, nil
}

func (s *Store) checkCAS(ctx context.Context, tx *sql.Tx, res sql.Result, id string) error {
	n, err := res.RowsAffected()
	if err != nil || n == 1 {
		return err
	}
	var one int
	err = tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM accounts WHERE id = ?`), id).Scan(&one)
	if err == sql.ErrNoRows {
		return fmt.Errorf("sqlstore: account %s: %w", id, account.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("sqlstore: account %s: %w", id, account.ErrConflict)
}

// DeleteAccount implements account.Store.
func (s *Store) DeleteAccount(ctx context.Context, id string, version int64, events ...account.Event) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM accounts WHERE id = ? AND version = ?`), id, version)
		if err != nil {
			return err
		}
		if err := s.checkCAS(ctx, tx, res, id); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM password_history WHERE account_id = ?`, `DELETE FROM reset_tokens WHERE account_id = ?`} {
			if _, err := tx.ExecContext(ctx, s.q(q), id); err != nil {
				return err
			}
		}
		return s.insertEvents(ctx, tx, events)
	})
	return s.wrap("delete account", err)
}

// NextUsernameNumber implements account.Store with an upsert on a counter
// row, atomic in both engines.
func (s *Store) NextUsernameNumber(ctx context.Context, base string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO username_counters (base, n) VALUES (?, 1)
		ON CONFLICT (base) DO UPDATE SET n = username_counters.n + 1 RETURNING n`), base).Scan(&n)
	return n, s.wrap("next username number", err)
}
