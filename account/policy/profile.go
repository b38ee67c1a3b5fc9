package policy

import (
	"errors"
	"fmt"
	"time"
)

// Class is the account class a profile distinguishes.
type Class string

// Account classes (requirement A5 distinguishes users from administrators
// and applications; A3 adds one-time originator accounts).
const (
	ClassUser          Class = "user"
	ClassAdministrator Class = "administrator"
	ClassApplication   Class = "application"
	ClassOneTime       Class = "one-time"
)

// Classes lists every class in a fixed order.
func Classes() []Class {
	return []Class{ClassUser, ClassAdministrator, ClassApplication, ClassOneTime}
}

// Valid reports whether c is one of the four classes.
func (c Class) Valid() bool {
	switch c {
	case ClassUser, ClassAdministrator, ClassApplication, ClassOneTime:
		return true
	}
	return false
}

// Check names a detector a profile runs. The names are stable.
type Check string

// Detectors.
const (
	CheckSequence  Check = "sequence"  // ascending/descending runs: 1234, abcd, 9876
	CheckKeyboard  Check = "keyboard"  // keyboard walks on QWERTZ and QWERTY
	CheckRepeat    Check = "repeat"    // aaaaa, 99999, bbbbb55555, ababab
	CheckContext   Check = "context"   // username, e-mail, system, person's names
	CheckDate      Check = "date"      // Czech and ISO dates, the birth date
	CheckMonth     Check = "month"     // Czech and English month names
	CheckName      Check = "name"      // common first names
	CheckBlocklist Check = "blocklist" // embedded common-password list
	CheckBreached  Check = "breached"  // k-anonymity range API, when configured
)

func knownCheck(c Check) bool {
	switch c {
	case CheckSequence, CheckKeyboard, CheckRepeat, CheckContext, CheckDate,
		CheckMonth, CheckName, CheckBlocklist, CheckBreached:
		return true
	}
	return false
}

// Aspect names a dimension of a profile in Explain output.
type Aspect string

// Aspects compared with NIST SP 800-63B rev 4.
const (
	AspectMinLength   Aspect = "length.min"
	AspectMaxLength   Aspect = "length.max"
	AspectComposition Aspect = "composition"
	AspectRotation    Aspect = "rotation"
	AspectBlocklist   Aspect = "blocklist"
)

// Profile is a named, versioned password policy. It is plain data; the
// Checker copies it.
type Profile struct {
	// Name selects the profile ("narp"). Requests may ask for
	// "name@version"; a bare name means the highest version.
	Name string
	// Version is 1 or more.
	Version int
	// Title is a one-line human description.
	Title string
	// MinLength is the minimum length in code points after NFKC, per
	// class, when the password is the only factor. Every class needs an
	// entry.
	MinLength map[Class]int
	// MinLengthWithSecondFactor applies when the account also uses a
	// second factor. A missing class falls back to MinLength.
	MinLengthWithSecondFactor map[Class]int
	// MaxLength is the longest password accepted, in code points; it may
	// not exceed MaxPasswordBytes.
	MaxLength int
	// Require* are composition rules.
	RequireUpper, RequireLower, RequireDigit, RequireSpecial bool
	// MaxAge forces a change after this long; zero means no rotation.
	MaxAge time.Duration
	// ExpiryWarning is how long before MaxAge the user is warned.
	ExpiryWarning time.Duration
	// History is how many previous passwords may not be reused.
	History int
	// Checks lists the detectors to run.
	Checks []Check
	// MinPatternLength is the shortest sequence, keyboard walk or repeated
	// run reported. Zero means DefaultMinPatternLength.
	MinPatternLength int
	// Rationale says why the profile departs from NIST rev 4, per aspect;
	// Explain shows it.
	Rationale map[Aspect]string
}

// DefaultMinPatternLength is the shortest pattern reported when a profile
// does not say.
const DefaultMinPatternLength = 4

// ID is "name@version".
func (p Profile) ID() string { return fmt.Sprintf("%s@%d", p.Name, p.Version) }

// Has reports whether the profile runs check c.
func (p Profile) Has(c Check) bool {
	for _, x := range p.Checks {
		if x == c {
			return true
		}
	}
	return false
}

// MinLengthFor returns the minimum length for a class.
func (p Profile) MinLengthFor(c Class, secondFactor bool) int {
	if secondFactor {
		if n, ok := p.MinLengthWithSecondFactor[c]; ok {
			return n
		}
	}
	return p.MinLength[c]
}

// Validate reports every inconsistency in the profile.
func (p Profile) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w %q: "+format, append([]any{ErrInvalidProfile, p.Name}, a...)...))
	}
	if p.Name == "" {
		bad("empty name")
	}
	if p.Version < 1 {
		bad("version %d < 1", p.Version)
	}
	if p.MaxLength < 1 || p.MaxLength > MaxPasswordBytes {
		bad("MaxLength %d outside 1..%d", p.MaxLength, MaxPasswordBytes)
	}
	for _, c := range Classes() {
		n, ok := p.MinLength[c]
		if !ok || n < 1 || n > p.MaxLength {
			bad("MinLength[%s] = %d outside 1..MaxLength", c, n)
		}
		if n2, ok := p.MinLengthWithSecondFactor[c]; ok && (n2 < 1 || n2 > p.MaxLength) {
			bad("MinLengthWithSecondFactor[%s] = %d outside 1..MaxLength", c, n2)
		}
	}
	for c := range p.MinLength {
		if !c.Valid() {
			bad("%w %q", ErrUnknownClass, c)
		}
	}
	if p.MaxAge < 0 || p.ExpiryWarning < 0 || p.History < 0 || p.MinPatternLength < 0 {
		bad("negative MaxAge, ExpiryWarning, History or MinPatternLength")
	}
	if p.MinPatternLength == 1 || p.MinPatternLength == 2 {
		bad("MinPatternLength %d would flag almost every password", p.MinPatternLength)
	}
	for _, c := range p.Checks {
		if !knownCheck(c) {
			bad("unknown check %q", c)
		}
	}
	return errors.Join(errs...)
}

func (p Profile) clone() Profile {
	q := p
	q.MinLength = cloneMap(p.MinLength)
	q.MinLengthWithSecondFactor = cloneMap(p.MinLengthWithSecondFactor)
	q.Rationale = cloneMap(p.Rationale)
	q.Checks = append([]Check(nil), p.Checks...)
	if q.MinPatternLength == 0 {
		q.MinPatternLength = DefaultMinPatternLength
	}
	return q
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Names of the built-in profiles.
const (
	ProfileNARP = "narp"
	ProfileNIST = "nist-800-63b-4"
)

// NARP returns the national archive portal profile (requirement A5).
func NARP() Profile {
	return Profile{
		Name:    ProfileNARP,
		Version: 1,
		Title:   "National archive portal (requirement A5)",
		MinLength: map[Class]int{
			ClassUser: 12, ClassAdministrator: 17, ClassApplication: 17, ClassOneTime: 12,
		},
		MaxLength:    256,
		RequireUpper: true, RequireLower: true, RequireDigit: true, RequireSpecial: true,
		MaxAge:        365 * 24 * time.Hour,
		ExpiryWarning: 14 * 24 * time.Hour,
		History:       12,
		Checks: []Check{CheckSequence, CheckKeyboard, CheckRepeat, CheckContext,
			CheckDate, CheckMonth, CheckName, CheckBlocklist, CheckBreached},
		Rationale: map[Aspect]string{
			AspectMinLength:   "A5 sets 12 characters for users; the archive pairs this with composition rules",
			AspectComposition: "A5 requires an upper-case letter, a lower-case letter, a digit and a special character",
			AspectRotation:    "A5 requires a change at least every 12 months",
		},
	}
}

// NIST80063B4 returns the NIST SP 800-63B rev 4 profile (section 3.1.1.2).
func NIST80063B4() Profile {
	all := func(n int) map[Class]int {
		return map[Class]int{ClassUser: n, ClassAdministrator: n, ClassApplication: n, ClassOneTime: n}
	}
	return Profile{
		Name:                      ProfileNIST,
		Version:                   1,
		Title:                     "NIST SP 800-63B rev 4 password verifier",
		MinLength:                 all(15),
		MinLengthWithSecondFactor: all(8),
		MaxLength:                 256,
		Checks: []Check{CheckSequence, CheckKeyboard, CheckRepeat, CheckContext,
			CheckBlocklist, CheckBreached},
	}
}

// Builtin returns fresh copies of the built-in profiles.
func Builtin() []Profile { return []Profile{NARP(), NIST80063B4()} }
