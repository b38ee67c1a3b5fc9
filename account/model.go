package account

import (
	"time"

	"github.com/eidkit/eidkit/account/policy"
)

// Status is an account's state.
type Status string

// Statuses (A9: suspended pending review, then restored or cancelled).
const (
	StatusActive    Status = "active"
	StatusSuspended Status = "suspended"
	StatusCancelled Status = "cancelled"
)

// Role is an account's role in the portal; deletion schedules depend on it
// (A10).
type Role string

// Roles named in requirements A8 and A10. One-time accounts ("puvodce" +
// number) are originator II accounts.
const (
	RoleResearcher    Role = "researcher"
	RoleOriginatorI   Role = "originator-i"
	RoleOriginatorII  Role = "originator-ii"
	RoleOriginatorIII Role = "originator-iii"
	RoleOriginatorIV  Role = "originator-iv"
	RoleStaff         Role = "staff"
	RoleLocalAdmin    Role = "local-admin"
	RoleCentralAdmin  Role = "central-admin"
	RoleApplication   Role = "application"
)

// Account is one stored account (A1, A2). Times are UTC; the zero time
// means "never" or "not set".
type Account struct {
	ID       string
	Username string
	Class    policy.Class
	Role     Role
	Status   Status

	FirstName    string
	Surname      string
	Email        string
	Phone        string
	Organisation string
	Archives     []string
	// Identities lists bound electronic identities (e.g. eID subject IDs).
	Identities []string

	// PasswordHash is a PHC string (argon2id) or a hash taken over from
	// another issuer (bcrypt, PBKDF2).
	PasswordHash string
	// PasswordNorm records the normalisation applied before hashing:
	// "NFKC", or "" for hashes imported as the other issuer made them.
	PasswordNorm       string
	PasswordChangedAt  time.Time
	MustChangePassword bool
	SecondFactor       bool

	FailedLogins   int
	LastLoginAt    time.Time
	CardExpiresAt  time.Time
	ProcedureEndAt time.Time
	ExpiryWarnedAt time.Time

	SuspendedAt    time.Time
	ReviewDeadline time.Time
	SuspendReason  string

	CreatedAt time.Time
	UpdatedAt time.Time
	// Version is the compare-and-swap counter; stores set it to 1 on
	// create and increment it on each update.
	Version int64
}

// HistoryEntry is one password kept for reuse checks.
type HistoryEntry struct {
	Hash      string
	Norm      string
	ChangedAt time.Time
}

// ResetToken is a stored password-reset token (A6). Only the SHA-256 of
// the token is stored.
type ResetToken struct {
	// Hash is the hex SHA-256 of the token.
	Hash      string
	AccountID string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Action names an audited event.
type Action string

// Audited actions (A11).
const (
	ActionCreated          Action = "account.created"
	ActionImported         Action = "account.imported"
	ActionLoginSucceeded   Action = "login.succeeded"
	ActionLoginFailed      Action = "login.failed"
	ActionPasswordChanged  Action = "password.changed"
	ActionPasswordRejected Action = "password.rejected"
	ActionPasswordRehashed Action = "password.rehashed"
	ActionResetRequested   Action = "reset.requested"
	ActionResetCompleted   Action = "reset.completed"
	ActionSuspended        Action = "account.suspended"
	ActionRestored         Action = "account.restored"
	ActionCancelled        Action = "account.cancelled"
	ActionDeleted          Action = "account.deleted"
	ActionExpiryWarned     Action = "password.expiry-warned"
	ActionUpdated          Action = "account.updated"
)

// Event is one audit-trail entry: who did what, when, from where (A11).
// Events outlive the account they describe.
type Event struct {
	// ID is assigned by the store, increasing.
	ID        int64
	At        time.Time
	AccountID string
	Username  string
	// Actor is who acted: a username, "system", or an administrator.
	Actor  string
	Action Action
	// Remote is where the request came from (IP address, channel).
	Remote string
	Detail string
}

// Actor identifies who performs a lifecycle operation and from where.
type Actor struct {
	Name   string
	Remote string
}

// SystemActor is the actor recorded for automatic actions (sweeper,
// lockout after failed logins).
const SystemActor = "system"
