package account

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
)

// Defaults.
const (
	DefaultProfile         = policy.ProfileNARP
	DefaultMaxFailedLogins = 5
	DefaultReviewPeriod    = 72 * time.Hour   // A9
	DefaultResetTokenTTL   = 30 * time.Minute // A6
	// MinTemporaryPasswordLength is the shortest generated password; the
	// profile's minimum for the class wins when longer.
	MinTemporaryPasswordLength = 16
	// MaxCASRetries bounds retries of a read-modify-write that lost a
	// compare-and-swap race.
	MaxCASRetries = 8
	// MaxNameBytes bounds names, e-mail and other text fields.
	MaxNameBytes = 256
	// MaxListItems bounds the archives and identities of one account.
	MaxListItems = 64
)

// Config configures a Service. It is plain data; New never changes it.
type Config struct {
	// Store is required.
	Store Store
	// Notifier is required: resets and suspensions must reach the user and
	// the central administrator.
	Notifier Notifier
	// Policy checks new passwords. Nil means policy.New(policy.Config{}).
	Policy *policy.Checker
	// Hasher hashes passwords. Nil means the argon2id defaults
	// (m=19 MiB, t=2, p=1).
	Hasher *password.Hasher
	// Profile is the password profile name. Defaults to DefaultProfile.
	Profile string
	// SystemName is a context word passwords may not contain (A5).
	SystemName string
	// MaxFailedLogins suspends the account after this many consecutive
	// failures. Defaults to DefaultMaxFailedLogins.
	MaxFailedLogins int
	// ReviewPeriod is the deadline for reviewing a suspension. Defaults to
	// DefaultReviewPeriod (72 h).
	ReviewPeriod time.Duration
	// ResetTokenTTL is how long a reset link is valid. Defaults to
	// DefaultResetTokenTTL (30 min).
	ResetTokenTTL time.Duration
	// DeletionRules replace DefaultDeletionRules when non-nil.
	DeletionRules []DeletionRule
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand supplies account IDs, reset tokens and temporary passwords; nil
	// means crypto/rand.Reader.
	Rand io.Reader
	// Logger receives operational logs; nil means slog.Default().
	Logger *slog.Logger
}

// Validate reports every problem in the configuration.
func (c Config) Validate() error {
	var errs []error
	bad := func(f string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+f, append([]any{ErrInvalidConfig}, a...)...))
	}
	if c.Store == nil {
		bad("Store is required")
	}
	if c.Notifier == nil {
		bad("Notifier is required")
	}
	if c.MaxFailedLogins < 0 {
		bad("MaxFailedLogins %d < 0", c.MaxFailedLogins)
	}
	if c.ReviewPeriod < 0 || c.ResetTokenTTL < 0 {
		bad("negative ReviewPeriod or ResetTokenTTL")
	}
	for i, r := range c.DeletionRules {
		if err := r.validate(); err != nil {
			bad("DeletionRules[%d]: %v", i, err)
		}
	}
	return errors.Join(errs...)
}

// Service runs the account lifecycle. It is safe for concurrent use, also
// by several processes sharing one store.
type Service struct {
	store        Store
	notifier     Notifier
	policy       *policy.Checker
	hasher       *password.Hasher
	profile      policy.Profile
	systemName   string
	maxFailed    int
	reviewPeriod time.Duration
	tokenTTL     time.Duration
	rules        []DeletionRule
	now          func() time.Time
	rand         io.Reader
	log          *slog.Logger
}

// New validates cfg and builds a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Service{store: cfg.Store, notifier: cfg.Notifier, policy: cfg.Policy, hasher: cfg.Hasher,
		systemName: cfg.SystemName, maxFailed: orDefault(cfg.MaxFailedLogins, DefaultMaxFailedLogins),
		reviewPeriod: orDefault(cfg.ReviewPeriod, DefaultReviewPeriod),
		tokenTTL:     orDefault(cfg.ResetTokenTTL, DefaultResetTokenTTL),
		rules:        append([]DeletionRule(nil), cfg.DeletionRules...),
		now:          cfg.Now, rand: cfg.Rand, log: cfg.Logger}
	if cfg.DeletionRules == nil {
		s.rules = DefaultDeletionRules()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if s.policy == nil {
		if s.policy, err = policy.New(policy.Config{}); err != nil {
			return nil, err
		}
	}
	if s.hasher == nil {
		if s.hasher, err = password.New(password.Config{}); err != nil {
			return nil, err
		}
	}
	if s.profile, err = s.policy.Profile(orDefault(cfg.Profile, DefaultProfile)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return s, nil
}

func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

// Profile returns the password profile in force.
func (s *Service) Profile() policy.Profile { return s.profile }

// clock returns the current time in UTC at the stores' microsecond
// precision.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		return "", fmt.Errorf("account: reading randomness: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func (s *Service) event(a Account, actor Actor, action Action, at time.Time, detail string) Event {
	return Event{At: at, AccountID: a.ID, Username: a.Username, Actor: actor.Name, Action: action,
		Remote: actor.Remote, Detail: detail}
}

// modify re-reads the account and applies change until the
// compare-and-swap succeeds (at most MaxCASRetries times). change returns
// the update to store; returning an error aborts with nothing stored.
func (s *Service) modify(ctx context.Context, id string, change func(a Account) (Update, error)) (Account, error) {
	for range MaxCASRetries {
		a, err := s.store.GetAccount(ctx, id)
		if err != nil {
			return Account{}, err
		}
		u, err := change(a)
		if err != nil {
			return Account{}, err
		}
		u.Account.Version = a.Version
		out, err := s.store.UpdateAccount(ctx, u)
		if errors.Is(err, ErrConflict) {
			continue
		}
		return out, err
	}
	return Account{}, fmt.Errorf("account: %s: %w after %d attempts", id, ErrConflict, MaxCASRetries)
}

// notify delivers n; a failure is logged and returned but never undoes the
// committed change.
func (s *Service) notify(ctx context.Context, n Notification) error {
	if err := s.notifier.Notify(ctx, n); err != nil {
		s.log.ErrorContext(ctx, "account: notification failed", "kind", n.Kind, "account", n.AccountID, "err", err)
		return fmt.Errorf("account: notify %s: %w", n.Kind, err)
	}
	return nil
}

// Get returns an account by username.
func (s *Service) Get(ctx context.Context, username string) (Account, error) {
	return s.store.GetAccountByUsername(ctx, username)
}

// List returns up to limit accounts after the given username.
func (s *Service) List(ctx context.Context, after string, limit int) ([]Account, error) {
	return s.store.ListAccounts(ctx, after, limit)
}

// Events returns up to limit audit events of an account, oldest first.
func (s *Service) Events(ctx context.Context, accountID string, limit int) ([]Event, error) {
	return s.store.ListEvents(ctx, accountID, limit)
}
