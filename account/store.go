package account

import (
	"context"
	"time"
)

// Store persists accounts, password history, reset tokens and the audit
// trail. The contract, which account/storetest checks on every backend:
//
//   - Times are passed in by the caller; stores never read the clock.
//   - CreateAccount stores the account with Version 1 and its events
//     atomically; a duplicate ID or username is ErrAlreadyExists.
//   - UpdateAccount is compare-and-swap: it applies only if the stored
//     Version equals u.Account.Version, and then increments it. Everything
//     in the Update (account, history entry and trim, reset-token
//     consumption, events) commits together or not at all. A missing
//     account is ErrNotFound, a version mismatch ErrConflict, an unusable
//     token ErrNotFound.
//   - DeleteAccount MUST be atomic: the account, its history and tokens go,
//     the given events are written; the audit trail of the account stays.
//   - NextUsernameNumber returns 1, 2, 3... for each base, atomically across
//     processes.
//   - An expired or used reset token reads as ErrNotFound.
type Store interface {
	CreateAccount(ctx context.Context, a Account, events ...Event) error
	GetAccount(ctx context.Context, id string) (Account, error)
	GetAccountByUsername(ctx context.Context, username string) (Account, error)
	// ListAccounts returns up to limit accounts with usernames greater than
	// after, in username order.
	ListAccounts(ctx context.Context, after string, limit int) ([]Account, error)
	UpdateAccount(ctx context.Context, u Update) (Account, error)
	DeleteAccount(ctx context.Context, id string, version int64, events ...Event) error
	NextUsernameNumber(ctx context.Context, base string) (int64, error)
	// PasswordHistory returns up to limit entries, newest first.
	PasswordHistory(ctx context.Context, accountID string, limit int) ([]HistoryEntry, error)
	// CreateResetToken stores a token and its events atomically.
	CreateResetToken(ctx context.Context, t ResetToken, events ...Event) error
	// GetResetToken returns an unused token whose ExpiresAt is after now.
	GetResetToken(ctx context.Context, hash string, now time.Time) (ResetToken, error)
	AppendEvents(ctx context.Context, events ...Event) error
	// ListEvents returns up to limit events of an account, oldest first.
	ListEvents(ctx context.Context, accountID string, limit int) ([]Event, error)
}

// Update is one atomic change to an account.
type Update struct {
	// Account is the new state. Its Version must equal the stored one.
	Account Account
	// PushHistory, when set, is added to the password history.
	PushHistory *HistoryEntry
	// KeepHistory trims the history to this many newest entries when
	// PushHistory is set; zero keeps none.
	KeepHistory int
	// ConsumeToken, when set, marks the reset token with this hash used;
	// the update fails with ErrNotFound unless the token belongs to the
	// account, is unused and ExpiresAt is after Now.
	ConsumeToken string
	// Now is the time used for the token check.
	Now time.Time
	// Events are appended to the audit trail.
	Events []Event
}
