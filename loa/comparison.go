package loa

import "fmt"

// Comparison is the Comparison attribute of samlp:RequestedAuthnContext
// (SAML core §3.3.2.2.1). The zero value is ComparisonExact, the SAML default.
type Comparison uint8

const (
	// ComparisonExact: the granted level must match one of the listed ones.
	ComparisonExact Comparison = iota
	// ComparisonMinimum: at least as strong as one of the listed ones.
	ComparisonMinimum
	// ComparisonBetter: stronger than one of the listed ones.
	ComparisonBetter
	// ComparisonMaximum: as strong as possible without exceeding one of the
	// listed ones.
	ComparisonMaximum
)

// String returns the attribute value: "exact", "minimum", "better" or
// "maximum".
func (c Comparison) String() string {
	switch c {
	case ComparisonExact:
		return "exact"
	case ComparisonMinimum:
		return "minimum"
	case ComparisonBetter:
		return "better"
	case ComparisonMaximum:
		return "maximum"
	default:
		return fmt.Sprintf("Comparison(%d)", uint8(c))
	}
}

// ParseComparison parses the Comparison attribute. The empty string (the
// attribute is absent) means exact, per SAML core. Values are
// case-sensitive; anything else fails with [ErrInvalidComparison].
func ParseComparison(s string) (Comparison, error) {
	switch s {
	case "", "exact":
		return ComparisonExact, nil
	case "minimum":
		return ComparisonMinimum, nil
	case "better":
		return ComparisonBetter, nil
	case "maximum":
		return ComparisonMaximum, nil
	default:
		if len(s) > 32 {
			s = s[:32]
		}
		return 0, fmt.Errorf("%w: %q", ErrInvalidComparison, s)
	}
}

// MaxRequestedLevels is the most AuthnContextClassRefs one
// RequestedAuthnContext may list; [Registry.ParseRequested] refuses more and
// [Registry.Satisfies] never satisfies more.
const MaxRequestedLevels = 16

// Requested is a RequestedAuthnContext: a comparison and the ordered list of
// levels (the ClassRefs, in the requester's order of preference).
type Requested struct {
	// Comparison is how the granted level relates to Levels.
	Comparison Comparison
	// Levels lists the requested levels, 1 to MaxRequestedLevels of them.
	Levels []Level
}

// Minimum returns a request for at least level l, the common case of an
// e-service's configured minimum (N11).
func Minimum(l Level) Requested {
	return Requested{Comparison: ComparisonMinimum, Levels: []Level{l}}
}

// ClassRefs returns the AuthnContextClassRef values to emit for r, in order.
// It fails if a level has no ClassRef (see [Level.ClassRef]) or the count is
// out of range.
func (r Requested) ClassRefs() ([]string, error) {
	if len(r.Levels) == 0 || len(r.Levels) > MaxRequestedLevels {
		return nil, fmt.Errorf("%w: %d", ErrRequestSize, len(r.Levels))
	}
	out := make([]string, 0, len(r.Levels))
	for _, l := range r.Levels {
		s, err := l.ClassRef()
		if err != nil {
			return nil, fmt.Errorf("loa: %s: %w", l, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// satisfies is the decision behind [Registry.Satisfies].
func satisfies(m Mapping, strict bool, granted Level, req Requested) bool {
	if !granted.Valid() || len(req.Levels) == 0 || len(req.Levels) > MaxRequestedLevels {
		return false
	}
	cmp := req.Comparison
	if cmp == ComparisonExact && !strict {
		cmp = ComparisonMinimum
	}
	g := granted.base()
	for _, want := range req.Levels {
		if !want.Valid() {
			continue
		}
		w := want.base()
		ge, le := m.atLeast(g, w), m.atLeast(w, g)
		var ok bool
		switch cmp {
		case ComparisonExact:
			ok = ge && le
		case ComparisonMinimum:
			ok = ge
		case ComparisonBetter:
			ok = ge && !le
		case ComparisonMaximum:
			// Strict: must not exceed. N11 mode: must be comparable.
			ok = le || (!strict && ge)
		}
		if ok {
			return true
		}
	}
	return false
}
