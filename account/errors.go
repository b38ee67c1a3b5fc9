package account

import "errors"

// Store errors. Every Store implementation returns these (possibly
// wrapped); test them with errors.Is.
var (
	// ErrNotFound means the account, token or record does not exist (an
	// expired or used reset token reads as not found).
	ErrNotFound = errors.New("account: not found")
	// ErrAlreadyExists means an account with that ID or username exists.
	ErrAlreadyExists = errors.New("account: already exists")
	// ErrConflict means a compare-and-swap update lost: the stored version
	// differs from the one the update was based on.
	ErrConflict = errors.New("account: concurrent update")
)

// Service errors.
var (
	// ErrInvalidCredentials means the username or password is wrong. Both
	// cases return this same error so callers cannot tell them apart.
	ErrInvalidCredentials = errors.New("account: invalid username or password")
	// ErrSuspended means the account is suspended (A9) or blocked (A6).
	ErrSuspended = errors.New("account: account suspended")
	// ErrCancelled means the account was cancelled after review.
	ErrCancelled = errors.New("account: account cancelled")
	// ErrInvalidToken means the reset token is unknown, used or expired.
	ErrInvalidToken = errors.New("account: invalid or expired reset token")
	// ErrEmptyName means a first name or surname is empty or has no
	// letter usable in a username.
	ErrEmptyName = errors.New("account: empty name")
	// ErrInvalidText means a name, e-mail, phone, organisation or role is
	// not valid UTF-8, contains a NUL byte or exceeds MaxNameBytes.
	ErrInvalidText = errors.New("account: invalid text field")
	// ErrInvalidEmail means the e-mail address is missing or malformed.
	ErrInvalidEmail = errors.New("account: invalid e-mail address")
	// ErrInvalidRole means the role is empty.
	ErrInvalidRole = errors.New("account: invalid role")
	// ErrInvalidState means the operation does not apply in the account's
	// current state (for example restoring an active account).
	ErrInvalidState = errors.New("account: operation not allowed in this state")
	// ErrInvalidConfig is wrapped by Config.Validate.
	ErrInvalidConfig = errors.New("account: invalid config")
)
