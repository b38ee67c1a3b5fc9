package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
)

// OneTimeUsernameBase prefixes one-time originator accounts (A3).
const OneTimeUsernameBase = "puvodce"

// MaxUsernameAttempts bounds retries when a generated username is already
// taken (for example by an imported account).
const MaxUsernameAttempts = 20

// NewAccount describes an account to create (A2).
type NewAccount struct {
	FirstName    string
	Surname      string
	Email        string
	Phone        string
	Organisation string
	Archives     []string
	Identities   []string
	Class        policy.Class
	Role         Role
	SecondFactor bool
	// CardExpiresAt is the researcher card's expiry (A10); zero if none.
	CardExpiresAt time.Time
}

func (n NewAccount) validate() error {
	var errs []error
	for _, f := range []struct{ name, v string }{{"first name", n.FirstName}, {"surname", n.Surname}} {
		if strings.TrimSpace(f.v) == "" || UsernameBase(f.v, "x") == "x" {
			errs = append(errs, fmt.Errorf("%w: %s", ErrEmptyName, f.name))
		}
	}
	fields := []struct{ name, v string }{{"first name", n.FirstName}, {"surname", n.Surname}, {"e-mail", n.Email},
		{"phone", n.Phone}, {"organisation", n.Organisation}, {"role", string(n.Role)}}
	if len(n.Archives) > MaxListItems || len(n.Identities) > MaxListItems {
		errs = append(errs, fmt.Errorf("%w: more than %d archives or identities", ErrInvalidText, MaxListItems))
	}
	fields = append(fields, listFields("archive", n.Archives)...)
	for _, f := range append(fields, listFields("identity", n.Identities)...) {
		if len(f.v) > MaxNameBytes || !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0) {
			errs = append(errs, fmt.Errorf("%w: %s: invalid UTF-8, NUL or over %d bytes", ErrInvalidText, f.name, MaxNameBytes))
		}
	}
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		errs = append(errs, fmt.Errorf("%w: %q", ErrInvalidEmail, n.Email))
	}
	if !n.Class.Valid() {
		errs = append(errs, fmt.Errorf("%w %q", policy.ErrUnknownClass, n.Class))
	}
	if strings.TrimSpace(string(n.Role)) == "" {
		errs = append(errs, ErrInvalidRole)
	}
	return errors.Join(errs...)
}

func listFields(name string, vs []string) []struct{ name, v string } {
	out := make([]struct{ name, v string }, len(vs))
	for i, v := range vs {
		out[i] = struct{ name, v string }{fmt.Sprintf("%s[%d]", name, i), v}
	}
	return out
}

// UsernameBase folds a surname and the first letter of a first name into
// the base of a generated username (A3): "Nováková", "Jana" ->
// "novakovaj". Only a-z and 0-9 are kept.
func UsernameBase(surname, firstName string) string {
	keep := func(s string) string {
		return strings.Map(func(r rune) rune {
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, policy.Fold(s))
	}
	first := keep(firstName)
	if first != "" {
		first = first[:1]
	}
	return keep(surname) + first
}

// Create makes an account with a generated username and a random temporary
// password that must be changed at first login (A3, A4). The temporary
// password is returned once and never stored in clear.
func (s *Service) Create(ctx context.Context, actor Actor, n NewAccount) (Account, string, error) {
	if err := n.validate(); err != nil {
		return Account{}, "", err
	}
	base := UsernameBase(n.Surname, n.FirstName)
	if n.Class == policy.ClassOneTime {
		base = OneTimeUsernameBase
	}
	temp, err := s.temporaryPassword(ctx, n.Class)
	if err != nil {
		return Account{}, "", err
	}
	hash, err := s.hasher.Hash(temp)
	if err != nil {
		return Account{}, "", err
	}
	now := s.clock()
	a := Account{Class: n.Class, Role: n.Role, Status: StatusActive, FirstName: n.FirstName, Surname: n.Surname,
		Email: n.Email, Phone: n.Phone, Organisation: n.Organisation, Archives: n.Archives, Identities: n.Identities,
		PasswordHash: hash, PasswordNorm: policy.Normalization, PasswordChangedAt: now, MustChangePassword: true,
		SecondFactor: n.SecondFactor, CardExpiresAt: n.CardExpiresAt.UTC(), CreatedAt: now, UpdatedAt: now}
	a, err = s.insertWithUsername(ctx, a, base, func(a Account) []Event {
		return []Event{s.event(a, actor, ActionCreated, now, "role="+string(a.Role))}
	})
	if err != nil {
		return Account{}, "", err
	}
	return a, temp, nil
}

// insertWithUsername numbers base from the store's counter and retries
// when the username is taken.
func (s *Service) insertWithUsername(ctx context.Context, a Account, base string, events func(Account) []Event) (Account, error) {
	for range MaxUsernameAttempts {
		n, err := s.store.NextUsernameNumber(ctx, base)
		if err != nil {
			return Account{}, err
		}
		if a.ID, err = s.randomHex(16); err != nil {
			return Account{}, err
		}
		a.Username = base + strconv.FormatInt(n, 10)
		err = s.store.CreateAccount(ctx, a, events(a)...)
		if errors.Is(err, ErrAlreadyExists) {
			continue
		}
		if err != nil {
			return Account{}, err
		}
		a.Version = 1
		return a, nil
	}
	return Account{}, fmt.Errorf("account: no free username for %q after %d attempts: %w", base, MaxUsernameAttempts, ErrAlreadyExists)
}

// ImportedAccount is an account handed over from another issuer (N29).
type ImportedAccount struct {
	NewAccount
	// Username is kept as the issuer had it.
	Username string
	// PasswordHash is the issuer's hash: argon2id, bcrypt or PBKDF2. It is
	// replaced by argon2id over the NFKC form at the first login.
	PasswordHash string
}

// Import stores an account taken over from another issuer with its
// existing username and password hash (N29).
func (s *Service) Import(ctx context.Context, actor Actor, in ImportedAccount) (Account, error) {
	errs := []error{in.validate()}
	switch {
	case strings.TrimSpace(in.Username) == "":
		errs = append(errs, fmt.Errorf("%w: username", ErrEmptyName))
	case len(in.Username) > MaxNameBytes || !utf8.ValidString(in.Username) || strings.ContainsRune(in.Username, 0):
		errs = append(errs, fmt.Errorf("%w: username: invalid UTF-8, NUL or over %d bytes", ErrInvalidText, MaxNameBytes))
	}
	if _, err := password.Parse(in.PasswordHash); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return Account{}, err
	}
	id, err := s.randomHex(16)
	if err != nil {
		return Account{}, err
	}
	now := s.clock()
	n := in.NewAccount
	a := Account{ID: id, Username: in.Username, Class: n.Class, Role: n.Role, Status: StatusActive,
		FirstName: n.FirstName, Surname: n.Surname, Email: n.Email, Phone: n.Phone, Organisation: n.Organisation,
		Archives: n.Archives, Identities: n.Identities, PasswordHash: in.PasswordHash, PasswordChangedAt: now,
		SecondFactor: n.SecondFactor, CardExpiresAt: n.CardExpiresAt.UTC(), CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateAccount(ctx, a, s.event(a, actor, ActionImported, now, "")); err != nil {
		return Account{}, err
	}
	a.Version = 1
	return a, nil
}
