package policy

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// BreachChecker reports how often a password appears in known breaches.
// account/breach provides a k-anonymity client.
type BreachChecker interface {
	Count(ctx context.Context, password string) (int, error)
}

// Config configures a Checker. The zero value uses the built-in profiles
// and no breached-password service.
type Config struct {
	// Profiles replaces the built-in profiles when non-nil.
	Profiles []Profile
	// Breach, when set, runs the breached-password check for profiles
	// that list CheckBreached. Nil (the default) turns the check off.
	Breach BreachChecker
	// AllowBreachCheckFailure accepts a password when the breach service
	// cannot be reached. Risk: an outage or a blocked network lets known
	// breached passwords through. By default the check fails closed with
	// ErrBreachCheckFailed.
	AllowBreachCheckFailure bool
}

// Validate reports every problem in the configuration.
func (c Config) Validate() error {
	var errs []error
	seen := map[string]bool{}
	for _, p := range c.Profiles {
		if err := p.Validate(); err != nil {
			errs = append(errs, err)
		}
		if seen[p.ID()] {
			errs = append(errs, fmt.Errorf("%w: duplicate profile %s", ErrInvalidProfile, p.ID()))
		}
		seen[p.ID()] = true
	}
	return errors.Join(errs...)
}

// Checker checks passwords against profiles. It is safe for concurrent
// use.
type Checker struct {
	profiles map[string]Profile // by ID and by bare name (latest version)
	breach   BreachChecker
	allowBF  bool
	lists    *wordLists
}

// New builds a Checker; it never changes cfg.
func New(cfg Config) (*Checker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	src := cfg.Profiles
	if src == nil {
		src = Builtin()
	}
	c := &Checker{profiles: map[string]Profile{}, breach: cfg.Breach, allowBF: cfg.AllowBreachCheckFailure}
	for _, p := range src {
		p = p.clone()
		c.profiles[p.ID()] = p
		if cur, ok := c.profiles[p.Name]; !ok || cur.Version < p.Version {
			c.profiles[p.Name] = p
		}
	}
	lists, err := loadWordLists()
	if err != nil {
		return nil, err
	}
	c.lists = lists
	return c, nil
}

// Profile returns the profile a name ("narp") or ID ("narp@1") selects.
func (c *Checker) Profile(name string) (Profile, error) {
	p, ok := c.profiles[name]
	if !ok {
		return Profile{}, fmt.Errorf("%w %q", ErrUnknownProfile, name)
	}
	return p.clone(), nil
}

// Context holds the words a password must not contain (A5: login name,
// e-mail, system or application name, the person's names, birth date).
type Context struct {
	Username        string
	Email           string
	SystemName      string
	ApplicationName string
	FirstName       string
	Surname         string
	BirthDate       time.Time
	// Words are further context-specific words, e.g. the service name.
	Words []string
}

// Request is one password to check.
type Request struct {
	// Profile is a profile name or "name@version".
	Profile string
	// Class is the account class; it selects the minimum length.
	Class Class
	// SecondFactor is true when the account also uses a second factor.
	SecondFactor bool
	Password     string
	Context      Context
}

// Result is the outcome of a check.
type Result struct {
	// Profile is the ID of the profile used ("narp@1").
	Profile    string
	Violations []Violation
}

// OK reports whether the password passed.
func (r Result) OK() bool { return len(r.Violations) == 0 }

// Err returns a *ViolationError when there are violations, else nil.
func (r Result) Err() error {
	if r.OK() {
		return nil
	}
	return &ViolationError{Profile: r.Profile, Violations: r.Violations}
}

// Check runs every rule of the profile and returns every violation. The
// error is non-nil only for bad input (ErrInvalidUTF8, ErrNULByte,
// ErrTooLong, ErrUnknownProfile, ErrUnknownClass) or a failed breach check.
func (c *Checker) Check(ctx context.Context, req Request) (Result, error) {
	p, ok := c.profiles[req.Profile]
	if !ok {
		return Result{}, fmt.Errorf("%w %q", ErrUnknownProfile, req.Profile)
	}
	if !req.Class.Valid() {
		return Result{}, fmt.Errorf("%w %q", ErrUnknownClass, req.Class)
	}
	pw, err := Normalize(req.Password)
	if err != nil {
		return Result{}, err
	}
	res := Result{Profile: p.ID()}
	res.Violations = c.checkStatic(p, req, pw)
	if p.Has(CheckBreached) && c.breach != nil {
		n, err := c.breach.Count(ctx, pw)
		switch {
		case err != nil && !c.allowBF:
			return Result{}, fmt.Errorf("%w: %w", ErrBreachCheckFailed, err)
		case err == nil && n > 0:
			res.Violations = append(res.Violations, NewViolation(CodeBreached, map[string]string{"count": strconv.Itoa(n)}))
		}
	}
	return res, nil
}

// Validate is Check returning a *ViolationError when the password breaks
// the profile.
func (c *Checker) Validate(ctx context.Context, req Request) error {
	res, err := c.Check(ctx, req)
	if err != nil {
		return err
	}
	return res.Err()
}

func (c *Checker) checkStatic(p Profile, req Request, pw string) []Violation {
	var vs []Violation
	n := utf8.RuneCountInString(pw)
	if min := p.MinLengthFor(req.Class, req.SecondFactor); n < min {
		vs = append(vs, NewViolation(CodeTooShort, map[string]string{"min": strconv.Itoa(min), "length": strconv.Itoa(n)}))
	}
	if n > p.MaxLength {
		vs = append(vs, NewViolation(CodeTooLong, map[string]string{"max": strconv.Itoa(p.MaxLength), "length": strconv.Itoa(n)}))
	}
	vs = append(vs, composition(p, pw)...)
	folded := Fold(pw)
	d := detector{min: p.MinPatternLength, lists: c.lists}
	if p.Has(CheckSequence) {
		vs = append(vs, d.sequences(folded)...)
	}
	if p.Has(CheckKeyboard) {
		vs = append(vs, d.keyboard(folded)...)
	}
	if p.Has(CheckRepeat) {
		vs = append(vs, d.repeats(folded)...)
	}
	if p.Has(CheckContext) {
		vs = append(vs, contextWords(folded, req.Context)...)
	}
	if p.Has(CheckDate) {
		vs = append(vs, dates(pw, req.Context.BirthDate)...)
	}
	if p.Has(CheckMonth) {
		vs = append(vs, monthNames(folded)...)
	}
	if p.Has(CheckName) {
		vs = append(vs, d.names(folded)...)
	}
	if p.Has(CheckBlocklist) {
		vs = append(vs, d.blocklist(folded)...)
	}
	return vs
}

func composition(p Profile, pw string) []Violation {
	var up, low, dig, spec bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			up = true
		case unicode.IsLower(r):
			low = true
		case unicode.IsDigit(r):
			dig = true
		case unicode.IsLetter(r) || unicode.IsMark(r):
			// caseless letters count as neither
		default:
			spec = true
		}
	}
	var vs []Violation
	for _, x := range []struct {
		need, have bool
		code       Code
	}{{p.RequireUpper, up, CodeNoUpper}, {p.RequireLower, low, CodeNoLower},
		{p.RequireDigit, dig, CodeNoDigit}, {p.RequireSpecial, spec, CodeNoSpecial}} {
		if x.need && !x.have {
			vs = append(vs, NewViolation(x.code, nil))
		}
	}
	return vs
}

func clip(s string) string {
	const max = 32
	if len(s) <= max {
		return s
	}
	return strings.ToValidUTF8(s[:max], "")
}
